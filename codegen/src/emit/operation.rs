//! One file per operation: the operation type, input, output, error enum, serializer,
//! deserializer, pagination and fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::http_request::{request_extras, serializer};
use super::http_response::deserializer;
use super::shapes::{builder, setters, structure};
use super::{docs, ident, imports, ty};
use crate::plan::{OperationPlan, Plan, Ty};

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
pub fn operation_file(op: &OperationPlan, query_compatible: bool) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let doc = docs(&op.doc);
    let input = structure(&op.input);
    let output = structure(&op.output);
    let input_builder = builder(&op.input);
    let output_builder = builder(&op.output);
    let error = error_enum(op);
    let shape = operation_shape(op, query_compatible);
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

fn operation_shape(op: &OperationPlan, query_compatible: bool) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let op_name = &op.name;
    let input = format_ident!("{}", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{}Error", op.name);
    let validate = if op.input.validates {
        quote! {
            fn validate(input: &Self::Input) -> Result<(), v::InvalidInput> {
                v::InvalidInput::of(Self::NAME, input)
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
    // An output with a `Default` is taken out of the orchestrator's box in place: less code.
    let take_output = op.output.derives_default.then(|| {
        quote! {
            #[inline]
            fn take_output(output: shape::Output) -> Result<Self::Output, shape::Output> {
                shape::take_in_place(output)
            }
        }
    });
    let serialize = serializer(op);
    let deserialize = deserializer(op, query_compatible);
    let extras = request_extras(op);
    let endpoint = super::endpoint::operation_params(op);
    quote! {
        impl shape::OperationShape for #name {
            const NAME: &'static str = #op_name;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #validate
            #token
            #take_output
            #serialize
            #deserialize
            #extras
            #endpoint
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
    let (item, items_expr) = match &p.items {
        Some((field, optional, item_ty)) => {
            let items = ident(field);
            let expr = if *optional {
                quote!(output.#items.as_deref().unwrap_or_default())
            } else {
                quote!(&output.#items)
            };
            (ty(item_ty), expr)
        }
        // The model names no items: pages only, and no item can be yielded.
        None => (
            quote!(::std::convert::Infallible),
            quote!({
                let _ = output;
                &[]
            }),
        ),
    };
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
    let streaming = (!op.input.plain_data).then(|| quote!(, streaming));
    quote! {
        fluent_builder!(crate, #op_name, #name, #input_builder, #output, #error #streaming);
        #setters_impl
    }
}
