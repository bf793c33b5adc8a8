//! An operation's response: the deserializer (body or payload, headers, status code) and, for a
//! streaming payload, the reader that takes the body as a stream.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use super::shapes::member_format;
use crate::plan::{Binding, MemberPlan, OperationPlan, StructPlan, Ty};

/// Reading each header-bound member of a response (from the `http::HeaderMap` `headers`) into
/// `target`.
pub(super) fn header_steps(
    s: &StructPlan,
    target: TokenStream,
    headers: &TokenStream,
) -> Vec<TokenStream> {
    s.members
        .iter()
        .filter_map(|m| {
            let f = ident(&m.field);
            let read = match &m.binding {
                Binding::Header(header) => read_header(m, header, headers),
                Binding::PrefixHeaders(prefix) => {
                    quote!(protocol::read_prefix_headers(#headers, #prefix)?)
                }
                _ => return None,
            };
            Some(if m.optional {
                quote!(#target.#f = #read;)
            } else {
                quote! {
                    if let Some(value) = #read {
                        #target.#f = value;
                    }
                }
            })
        })
        .collect()
}

fn read_header(m: &MemberPlan, header: &str, headers: &TokenStream) -> TokenStream {
    match &m.ty {
        Ty::Timestamp => {
            let format = member_format(m);
            quote!(protocol::read_header_timestamp(#headers, #header, #format)?)
        }
        Ty::List(inner) if **inner == Ty::Timestamp => {
            let format = member_format(m);
            quote!(protocol::read_header_timestamps(#headers, #header, #format)?)
        }
        Ty::List(_) => quote!(protocol::read_header_list(#headers, #header)?),
        Ty::String if m.media_type.is_some() => {
            quote!(protocol::read_base64_header(#headers, #header)?)
        }
        _ => quote!(protocol::read_header(#headers, #header)?),
    }
}

/// The statements that read a successful response into `output`, from `response` and `body`.
fn read_output(op: &OperationPlan, body: TokenStream) -> TokenStream {
    let output_name = format_ident!("{}", op.output.name);
    let members = &op.output.members;
    let mut steps = Vec::new();
    let parse = match op.output.payload() {
        Some(p) => {
            let f = ident(&p.field);
            let read = match &p.ty {
                Ty::Struct(_) | Ty::Union(_) | Ty::Document => {
                    quote!(protocol::read_json_payload(#body)?)
                }
                Ty::Blob => quote!(protocol::read_blob_payload(#body)),
                Ty::Stream => quote!(Some(#body)),
                _ => quote!(protocol::read_string_payload(#body)?),
            };
            steps.push(if p.optional {
                quote!(output.#f = #read;)
            } else {
                quote! {
                    if let Some(value) = #read {
                        output.#f = value;
                    }
                }
            });
            quote!(protocol::parse_body(b"")?)
        }
        None => quote!(protocol::parse_body(#body)?),
    };
    let headers = header_steps(&op.output, quote!(output), &quote!(response.headers));
    for m in members
        .iter()
        .filter(|m| m.binding == Binding::ResponseCode)
    {
        let f = ident(&m.field);
        steps.push(if m.optional {
            quote!(output.#f = Some(i32::from(response.status));)
        } else {
            quote!(output.#f = i32::from(response.status);)
        });
    }
    quote! {
        let mut output: #output_name = #parse;
        #(#headers)*
        #(#steps)*
        output._request_id = protocol::ResponseRequestId::read(response.headers);
        Ok(output)
    }
}

/// The `deserialize` function of the operation's `OperationShape`, and for a streaming payload
/// `STREAMING_OUTPUT` and `deserialize_stream`.
pub(super) fn deserializer(op: &OperationPlan, query_compatible: bool) -> TokenStream {
    let error = format_ident!("{}Error", op.name);
    let read_error = if query_compatible {
        quote!(protocol::ErrorResponse::read_query_compatible(&response))
    } else {
        quote!(protocol::ErrorResponse::read(&response))
    };
    let error_check = quote! {
        if !(200..300).contains(&response.status) {
            let error = #error::from_response(#read_error)?;
            return Err(shape::DeserializeError::Service(error));
        }
    };
    if op.streaming_output().is_some() {
        let read = read_output(op, quote!(body));
        return quote! {
            fn deserialize(
                response: shape::ResponseParts<'_>,
            ) -> Result<Self::Output, shape::DeserializeError<Self::Error>> {
                #error_check
                let body = ::restjson_runtime::primitives::ByteStream::from(response.body.to_vec());
                Self::deserialize_stream(response, body)
            }
            const STREAMING_OUTPUT: bool = true;
            fn deserialize_stream(
                response: shape::ResponseParts<'_>,
                body: ::restjson_runtime::primitives::ByteStream,
            ) -> Result<Self::Output, shape::DeserializeError<Self::Error>> {
                #read
            }
        };
    }
    let read = read_output(op, quote!(response.body));
    quote! {
        fn deserialize(
            response: shape::ResponseParts<'_>,
        ) -> Result<Self::Output, shape::DeserializeError<Self::Error>> {
            #error_check
            #read
        }
    }
}
