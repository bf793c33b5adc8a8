//! One file per operation: the operation type, input, output, error enum, serializer,
//! deserializer, pagination and fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shapes::{builder, member_format, setters, structure};
use super::{docs, ident, ty};
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
    quote! {
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
            #input_builder
            #output_builder
            #fluent
        }
    }
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
            fn validate(input: &Self::Input) -> Result<(), crate::validation::InvalidInput> {
                crate::validation::InvalidInput::check(Self::NAME, |out| {
                    crate::validation::Validate::validate(input, &crate::validation::Path::Root, out)
                })
            }
        }
    } else {
        quote! {
            fn validate(_input: &Self::Input) -> Result<(), crate::validation::InvalidInput> {
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
    quote! {
        impl crate::operation_shape::OperationShape for #name {
            const NAME: &'static str = #op_name;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #validate
            #token
            #serialize
            #deserialize
        }
    }
}

/// The value of an input member as `Option<String>` for a label, query parameter or header.
fn http_value(m: &MemberPlan) -> TokenStream {
    let f = ident(&m.field);
    if m.ty == Ty::Timestamp {
        let format = member_format(m);
        quote!(input.#f.as_ref().map(|v| crate::protocol::timestamp_value(v, #format)).transpose()?)
    } else {
        quote!(input.#f.as_ref().map(crate::protocol::HttpValue::to_http_value))
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
                let field = &m.field;
                let value = http_value(m);
                uri_steps
                    .push(quote!(uri.push_str(&crate::protocol::label(#field, #value, #greedy)?);));
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
                    Ty::List(inner) if **inner == Ty::Timestamp => {
                        let format = member_format(m);
                        query_steps.push(quote! {
                            query.push_all(
                                #key,
                                input.#f.iter().flatten()
                                    .map(|v| crate::protocol::timestamp_value(v, #format))
                                    .collect::<Result<Vec<_>, _>>()?,
                            );
                        });
                    }
                    Ty::List(_) => query_steps.push(quote! {
                        query.push_all(#key, input.#f.iter().flatten().map(crate::protocol::HttpValue::to_http_value));
                    }),
                    _ => {
                        let value = http_value(m);
                        query_steps.push(quote!(query.push(#key, #value);));
                    }
                }
            }
            Binding::Header(header) => {
                let field = &m.field;
                let value = http_value(m);
                header_steps.push(quote! {
                    if let Some(value) = #value {
                        headers.push((#header, crate::protocol::header(#field, value)?));
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
            let mut query = crate::protocol::QueryWriter::new();
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
        quote!(Some(crate::protocol::json_body(input)?))
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
        ) -> Result<crate::operation_shape::SerializedRequest, aws_smithy_types::error::operation::BuildError> {
            #statements
            Ok(crate::operation_shape::SerializedRequest {
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
    let arms = op.errors.iter().map(|e| {
        let variant = format_ident!("{}", e);
        quote!(#e => #error::#variant(response.decode()?),)
    });
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
                quote!(crate::protocol::read_header_timestamp(response.headers, #header, #format)?)
            } else {
                quote!(crate::protocol::read_header(response.headers, #header)?)
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
    let parse = if header_steps.is_empty() {
        quote! {
            crate::protocol::parse_body::<#output>(response.body).map_err(Into::into)
        }
    } else {
        quote! {
            let mut output: #output = crate::protocol::parse_body(response.body)?;
            #(#header_steps)*
            Ok(output)
        }
    };
    quote! {
        fn deserialize(
            response: crate::operation_shape::ResponseParts<'_>,
        ) -> Result<Self::Output, crate::operation_shape::DeserializeError<Self::Error>> {
            if !(200..300).contains(&response.status) {
                let response = crate::protocol::ErrorResponse::read(&response);
                let error = match response.code() {
                    #(#arms)*
                    _ => #error::Unhandled(response.into_unhandled()),
                };
                return Err(crate::operation_shape::DeserializeError::Service(error));
            }
            #parse
        }
    }
}

fn error_enum(op: &OperationPlan) -> TokenStream {
    let name = format_ident!("{}Error", op.name);
    let doc = format!(" Errors the `{}` operation can return.", op.name);
    let variants: Vec<_> = op.errors.iter().map(|e| format_ident!("{}", e)).collect();
    let variant_docs = op
        .errors
        .iter()
        .map(|e| format!(" The service answered with `{e}`."));
    let predicates = op.errors.iter().map(|e| {
        let variant = format_ident!("{}", e);
        let predicate = format_ident!("is_{}", heck::ToSnakeCase::to_snake_case(e.as_str()));
        let doc = format!(" Whether this is a `{e}`.");
        quote! {
            #[doc = #doc]
            pub fn #predicate(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants(crate::types::error::#variants),)*
            /// An error response that matches none of the modeled errors; it keeps the code,
            /// message, request id and HTTP status.
            Unhandled(crate::operation_shape::Unhandled),
        }
        impl #name {
            /// An unhandled error with this metadata and HTTP status.
            pub fn unhandled(meta: aws_smithy_types::error::ErrorMetadata, status: u16) -> Self {
                Self::Unhandled(crate::operation_shape::Unhandled { meta, status })
            }
            /// The code, message and request id of the error.
            pub fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata {
                match self {
                    #(Self::#variants(e) => &e.meta,)*
                    Self::Unhandled(e) => &e.meta,
                }
            }
            #(#predicates)*
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#variants(e) => e.fmt(f),)*
                    Self::Unhandled(e) => e.fmt(f),
                }
            }
        }
        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(e) => Some(e),)*
                    Self::Unhandled(e) => Some(e),
                }
            }
        }
        impl aws_smithy_types::error::metadata::ProvideErrorMetadata for #name {
            fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata {
                #name::meta(self)
            }
        }
        impl aws_types::request_id::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }
        }
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
    Some(quote! {
        impl crate::operation_shape::Paginated for #name {
            type Item = #item;
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
    let type_name = name.to_string();
    let doc = format!(
        " Sets up and sends a `{}` call; created by `Client::{}`.",
        op.name, op.snake
    );
    let inner = quote!(inner);
    let methods = op.input.members.iter().map(|m| setters(m, Some(&inner)));
    let paginator = op.pagination.is_some().then(|| {
        quote! {
            /// Walks every page of results; a build failure is reported by the first page.
            pub fn into_paginator(self) -> crate::paginator::Paginator<super::#op_name> {
                crate::paginator::Paginator::new(self.handle, self.inner.build())
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone)]
        pub struct #name {
            handle: std::sync::Arc<crate::client::Handle>,
            inner: #input_builder,
        }
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name).field("inner", &self.inner).finish_non_exhaustive()
            }
        }
        impl #name {
            pub(crate) fn new(handle: std::sync::Arc<crate::client::Handle>) -> Self {
                Self { handle, inner: Default::default() }
            }
            /// The input as set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }
            /// Builds the input and sends the call.
            pub async fn send(self) -> Result<super::#output, crate::error::SdkError<super::#error>> {
                let input = self.inner.build().map_err(crate::error::SdkError::construction_failure)?;
                self.handle.invoke::<super::#op_name>(input).await
            }
            #paginator
            #(#methods)*
        }
        impl #input_builder {
            /// Builds the input and sends it with `client`.
            pub async fn send_with(
                self,
                client: &crate::Client,
            ) -> Result<super::#output, crate::error::SdkError<super::#error>> {
                let mut fluent = #name::new(client.handle().clone());
                fluent.inner = self;
                fluent.send().await
            }
        }
    }
}
