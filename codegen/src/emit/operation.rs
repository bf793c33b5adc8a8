//! One file per operation: the operation type, input, output, error enum, serializer,
//! deserializer, pagination and fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shapes::{builder, member_format, setters, structure};
use super::{docs, ident, imports, ty};
use crate::plan::{Binding, MemberPlan, OperationPlan, PathPart, Plan, Ty};

/// `operation/mod.rs`: one module per operation.
pub fn operations_module(plan: &Plan) -> TokenStream {
    let modules = plan.operations.iter().map(|op| {
        let module = format_ident!("{}", op.snake);
        let doc = format!(" Types for the `{}` operation.", op.name);
        quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    quote! {
        //! Operations of the service: one module per operation.

        /// The request id of an operation's output or error.
        pub use ::restjson_runtime::error::RequestId;

        #(#modules)*
    }
}

/// The whole file of one operation.
pub fn operation_file(op: &OperationPlan) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let doc = docs(&op.doc);
    let input = structure(&op.input);
    let output = structure(&op.output);
    let input_builder = builder(&op.input);
    let output_builder = builder(&op.output);
    let error = error_enum(op);
    let shape = operation_shape(op);
    let paginated = pagination(op);
    let fluent = fluent_builder(op);
    let client_method = client_method(op);
    let imports = imports([&op.input, &op.output], true);
    let paginator = paginator_module(op);
    quote! {
        use ::restjson_runtime::error::BuildError;
        use ::restjson_runtime::macros::*;
        use ::restjson_runtime::operation_shape as shape;
        use ::restjson_runtime::protocol;
        use crate::types::error;
        #imports

        #doc
        #[derive(Clone, Copy, Debug, Default)]
        #[non_exhaustive]
        pub struct #name;

        #shape
        #paginated
        #input
        #output
        #error
        #client_method

        /// Builders for this operation's input and output, and its fluent builder.
        pub mod builders {
            use super::*;

            #input_builder
            #output_builder
            #fluent
        }
        #paginator
    }
}

/// `paginator`: the operation's paginator types, over the runtime's.
fn paginator_module(op: &OperationPlan) -> Option<TokenStream> {
    op.pagination.as_ref()?;
    let name = format_ident!("{}", op.name);
    let pages = format_ident!("{}Paginator", op.name);
    let items = format_ident!("{}PaginatorItems", op.name);
    let pages_doc = format!(" Walks every page of `{}` results.", op.name);
    let items_doc = format!(" Walks every item of `{}` results.", op.name);
    Some(quote! {
        /// Paginators of the operation.
        pub mod paginator {
            #[doc = #pages_doc]
            pub type #pages = ::restjson_runtime::paginator::Paginator<super::#name>;
            #[doc = #items_doc]
            pub type #items = ::restjson_runtime::paginator::ItemPaginator<super::#name>;
        }
    })
}

fn client_method(op: &OperationPlan) -> TokenStream {
    let method = format_ident!("{}", op.snake);
    let fluent = format_ident!("{}FluentBuilder", op.name);
    let mut doc = op.doc.clone();
    doc.push(String::new());
    doc.push(format!(
        "Returns a [`{0}FluentBuilder`](builders::{0}FluentBuilder): set the input, then call `send()`.",
        op.name
    ));
    let doc = docs(&doc);
    quote! {
        impl crate::Client {
            #doc
            pub fn #method(&self) -> builders::#fluent {
                builders::#fluent::new(self.handle().clone())
            }
        }
    }
}

fn operation_shape(op: &OperationPlan) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let op_name = &op.name;
    let input = format_ident!("{}", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{}Error", op.name);
    let validate = if op.input.validates {
        quote! {
            fn validate(input: &Self::Input) -> Result<(), v::InvalidInput> {
                v::InvalidInput::check(Self::NAME, |out| v::Validate::validate(input, &v::Path::Root, out))
            }
        }
    } else {
        quote! {
            fn validate(_input: &Self::Input) -> Result<(), ::restjson_runtime::validation::InvalidInput> {
                Ok(())
            }
        }
    };
    let token = match op.input.members.iter().find(|m| m.idempotency_token) {
        Some(m) => {
            let f = ident(&m.field);
            quote! {
                fn idempotency_token(input: &mut Self::Input) -> Option<&mut Option<String>> {
                    Some(&mut input.#f)
                }
            }
        }
        None => quote! {
            fn idempotency_token(_input: &mut Self::Input) -> Option<&mut Option<String>> {
                None
            }
        },
    };
    let serialize = serializer(op);
    let deserialize = deserializer(op);
    let endpoint = super::endpoint::operation_params(op);
    quote! {
        impl shape::OperationShape for #name {
            const NAME: &'static str = #op_name;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #validate
            #token
            #serialize
            #deserialize
            #endpoint
        }
    }
}

/// The value of an input member as `Option<String>` for a label, query parameter or header.
fn http_value(m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    if m.ty == Ty::Timestamp {
        let format = member_format(m);
        quote!(protocol::timestamp(&input.#f, #format)?)
    } else {
        quote!(protocol::value(&input.#f))
    }
}

fn serializer(op: &OperationPlan) -> TokenStream {
    let method = &op.method;
    let members = &op.input.members;
    let mut uri_steps = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => uri_steps.push(quote!(uri.push_str(#text);)),
            PathPart::Label { member, greedy } => {
                let m = &members[*member];
                let field = &m.name;
                let value = http_value(m);
                uri_steps.push(quote!(uri.push_str(&protocol::label(#field, #value, #greedy)?);));
            }
        }
    }
    let mut query_steps: Vec<TokenStream> = op
        .static_query
        .iter()
        .map(|pair| quote!(query.push_literal(#pair);))
        .collect();
    let mut header_steps = Vec::new();
    for m in members {
        match &m.binding {
            Binding::Query(key) => {
                let f = ident(&m.field);
                match &m.ty {
                    Ty::List(_) => query_steps.push(quote! {
                        query.push_all(#key, input.#f.iter().flatten().map(protocol::HttpValue::to_http_value));
                    }),
                    _ => {
                        let value = http_value(m);
                        query_steps.push(quote!(query.push(#key, #value);));
                    }
                }
            }
            Binding::Header(header) => {
                let field = &m.name;
                let value = http_value(m);
                header_steps.push(quote! {
                    if let Some(value) = #value {
                        headers.push((#header, protocol::header(#field, value)?));
                    }
                });
            }
            _ => {}
        }
    }
    let has_body = members.iter().any(|m| m.binding == Binding::Body);
    let mut statements = TokenStream::new();
    let first_literal = match op.path.first() {
        Some(PathPart::Literal(text)) => {
            uri_steps.remove(0);
            text.clone()
        }
        _ => String::new(),
    };
    let uri_mut = !uri_steps.is_empty() || !query_steps.is_empty();
    if uri_mut {
        statements.extend(quote!(let mut uri = String::from(#first_literal);));
    } else {
        statements.extend(quote!(let uri = String::from(#first_literal);));
    }
    statements.extend(uri_steps);
    if !query_steps.is_empty() {
        statements.extend(quote! {
            let mut query = protocol::QueryWriter::new();
            #(#query_steps)*
            uri.push_str(&query.finish());
        });
    }
    let content_type = has_body.then(|| quote!(("Content-Type", "application/json".to_owned())));
    let headers = if header_steps.is_empty() {
        match &content_type {
            Some(ct) => quote!(headers: vec![#ct]),
            None => quote!(headers: Vec::new()),
        }
    } else {
        let push_ct = content_type.map(|ct| quote!(headers.push(#ct);));
        statements.extend(quote! {
            let mut headers = Vec::new();
            #(#header_steps)*
            #push_ct
        });
        quote!(headers)
    };
    let body = if has_body {
        quote!(Some(protocol::json_body(input)?))
    } else {
        quote!(None)
    };
    let input_used = members.iter().any(|m| m.binding != Binding::Body) || has_body;
    let input_name = if input_used {
        quote!(input)
    } else {
        quote!(_input)
    };
    quote! {
        fn serialize(
            #input_name: &Self::Input,
        ) -> Result<shape::SerializedRequest, BuildError> {
            #statements
            Ok(shape::SerializedRequest {
                method: #method,
                uri,
                #headers,
                body: #body,
            })
        }
    }
}

fn deserializer(op: &OperationPlan) -> TokenStream {
    let error = format_ident!("{}Error", op.name);
    let header_steps: Vec<TokenStream> = op
        .output
        .members
        .iter()
        .filter_map(|m| {
            let Binding::Header(header) = &m.binding else {
                return None;
            };
            let f = ident(&m.field);
            let read = if m.ty == Ty::Timestamp {
                let format = member_format(m);
                quote!(protocol::read_header_timestamp(response.headers, #header, #format)?)
            } else {
                quote!(protocol::read_header(response.headers, #header)?)
            };
            Some(if m.optional {
                quote!(output.#f = #read;)
            } else {
                quote! {
                    if let Some(value) = #read {
                        output.#f = value;
                    }
                }
            })
        })
        .collect();
    let output = format_ident!("{}", op.output.name);
    let parse = quote! {
        let mut output: #output = protocol::parse_body(response.body)?;
        #(#header_steps)*
        output._request_id = protocol::ResponseRequestId::read(response.headers);
        Ok(output)
    };
    quote! {
        fn deserialize(
            response: shape::ResponseParts<'_>,
        ) -> Result<Self::Output, shape::DeserializeError<Self::Error>> {
            if !(200..300).contains(&response.status) {
                let error = #error::from_response(protocol::ErrorResponse::read(&response))?;
                return Err(shape::DeserializeError::Service(error));
            }
            #parse
        }
    }
}

fn error_enum(op: &OperationPlan) -> TokenStream {
    let name = format_ident!("{}Error", op.name);
    let op_name = &op.name;
    let variants = op.errors.iter().map(|e| {
        let variant = format_ident!("{}", e);
        let predicate = format_ident!("is_{}", heck::ToSnakeCase::to_snake_case(e.as_str()));
        quote!(#variant #predicate)
    });
    quote! {
        operation_error!(#op_name #name in error into crate::Error { #(#variants),* });
    }
}

fn pagination(op: &OperationPlan) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let name = format_ident!("{}", op.name);
    let input_token = ident(&p.input_token);
    let output_token = ident(&p.output_token.0);
    let next = if p.output_token.1 {
        quote!(output.#output_token.as_deref())
    } else {
        quote!(Some(output.#output_token.as_str()))
    };
    let items = ident(&p.items.0);
    let items_expr = if p.items.1 {
        quote!(output.#items.as_deref().unwrap_or_default())
    } else {
        quote!(&output.#items)
    };
    let item = ty(&p.items.2);
    // The page size, when the operation has an integer one.
    let page_size = p
        .names
        .page_size
        .as_ref()
        .and_then(|name| op.input.members.iter().find(|m| &m.name == name))
        .filter(|m| matches!(m.ty, Ty::Integer))
        .map(|m| {
            let field = ident(&m.field);
            let value = if m.optional {
                quote!(Some(size))
            } else {
                quote!(size)
            };
            quote! {
                fn set_page_size(input: &mut Self::Input, size: i32) {
                    input.#field = #value;
                }
            }
        });
    Some(quote! {
        impl shape::Paginated for #name {
            type Item = #item;
            #page_size
            fn set_next_token(input: &mut Self::Input, token: Option<String>) {
                input.#input_token = token;
            }
            fn next_token(output: &Self::Output) -> Option<&str> {
                #next
            }
            fn items(output: &Self::Output) -> &[Self::Item] {
                #items_expr
            }
        }
    })
}

fn fluent_builder(op: &OperationPlan) -> TokenStream {
    let op_name = format_ident!("{}", op.name);
    let name = format_ident!("{}FluentBuilder", op.name);
    let input_builder = format_ident!("{}Builder", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{}Error", op.name);
    let methods = op.input.members.iter().map(|m| setters(m, true));
    let pages = format_ident!("{}Paginator", op.name);
    let paginator = op.pagination.is_some().then(|| {
        quote! {
            /// Walks every page of results; a build failure is the first item.
            pub fn into_paginator(self) -> super::paginator::#pages {
                super::paginator::#pages::new(self.handle, self.inner.build())
            }
        }
    });
    let setters_impl = (paginator.is_some() || !op.input.members.is_empty()).then(|| {
        quote! {
            impl #name {
                #paginator
                #(#methods)*
            }
        }
    });
    quote! {
        fluent_builder!(crate, #op_name, #name, #input_builder, #output, #error);
        #setters_impl
    }
}
