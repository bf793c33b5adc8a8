//! Smithy 2.0 JSON AST to Rust code generator.
