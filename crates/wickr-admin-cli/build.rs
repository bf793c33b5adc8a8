//! Links the `wickr-admin` command with its relative relocations packed (`DT_RELR`) where the
//! toolchain and the C library can do it.
//!
//! A position-independent executable carries one 24-byte entry for every pointer the loader must
//! move to where the program landed: about 39,000 for this command, 0.9 MB that the loader reads
//! at every start and that stays resident for the process's life. Packed, the same relocations
//! take about 10 KB. The loader of glibc 2.36 and later understands them; an older one would
//! ignore them and the program would crash on its first pointer, so the flag is used only when a
//! probe program built with it, by the same compiler and linker, runs here. Anything else (another
//! operating system, a cross build, an older linker or C library) links as before.

use std::env;
use std::path::PathBuf;
use std::process::Command;

const FLAG: &str = "-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let packed = packed_relocations_work();
    if packed {
        println!("cargo:rustc-link-arg-bin=wickr-admin={FLAG}");
    }
    // For the test that the binary came out as decided.
    println!("cargo:rustc-env=WICKR_ADMIN_PACKED_RELOCATIONS={packed}");
}

fn packed_relocations_work() -> bool {
    let var = |name: &str| env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return false;
    }
    // The probe must run where it was built.
    if var("TARGET") != var("HOST") {
        return false;
    }
    let Some(out) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return false;
    };
    let source = out.join("relr_probe.rs");
    let program = out.join("relr_probe");
    // Boxed trait objects and formatted strings: vtables and string tables whose addresses are
    // relative relocations, which the loader must apply for the probe to print its line.
    let probe = "fn main() {\n\
                 let parts: Vec<Box<dyn std::fmt::Display>> = vec![Box::new(\"relr\"), Box::new(1)];\n\
                 let line: Vec<String> = parts.iter().map(|p| p.to_string()).collect();\n\
                 println!(\"{}\", line.join(\" \"));\n\
                 }\n";
    if std::fs::write(&source, probe).is_err() {
        return false;
    }
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut compile = Command::new(rustc);
    compile
        .arg("--edition=2021")
        .arg("--target")
        .arg(var("TARGET"))
        .arg("-C")
        .arg(format!("link-arg={FLAG}"))
        .arg("-o")
        .arg(&program)
        .arg(&source);
    // The flags the crate itself is built with (a linker chosen there, say) apply to the probe.
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    compile.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    let built = compile
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !built {
        return false;
    }
    Command::new(&program)
        .output()
        .map(|o| o.status.success() && o.stdout == b"relr 1\n")
        .unwrap_or(false)
}
