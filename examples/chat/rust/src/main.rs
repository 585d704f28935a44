//! chat (Rust): the C chat example (../chat.c) written with WasmEdge's
//! `wasmedge-wasi-nn` crate, as a LlamaEdge-style guest would: the prompt
//! streamed into a preloaded GGUF graph, the answer printed token by token.
//!
//!   wnn run --nn-preload default:GGML:AUTO:model.gguf build/examples/chat-rs.wasm 'The capital of France is'
//!
//! usage: chat-rs [--graph NAME] [--config JSON] [--compute] PROMPT
use std::io::Write;
use wasmedge_wasi_nn::{BackendError, Error, ExecutionTarget, GraphBuilder, GraphEncoding, TensorType};

fn fail(what: &str, e: Error) -> ! {
    eprintln!("chat-rs: {} failed: {} (the host's log says why)", what, e);
    std::process::exit(1);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut name, mut config, mut whole, mut i) = ("default".to_string(), "{\"n-predict\":64}".to_string(), false, 0);
    while i < args.len() && args[i].starts_with("--") {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--graph", Some(v)) => { name = v.clone(); i += 1; }
            ("--config", Some(v)) => { config = v.clone(); i += 1; }
            ("--compute", _) => whole = true,
            _ => break,
        }
        i += 1;
    }
    if i + 1 != args.len() {
        eprintln!("usage: chat-rs [--graph NAME] [--config JSON] [--compute] PROMPT");
        std::process::exit(2);
    }
    let prompt = args[i].as_bytes();

    let graph = GraphBuilder::new(GraphEncoding::Ggml, ExecutionTarget::AUTO)
        .config(config)
        .build_from_cache(&name)
        .unwrap_or_else(|e| fail("load_by_name_with_config", e));
    let mut ctx = graph.init_execution_context().unwrap_or_else(|e| fail("init_execution_context", e));
    // LlamaEdge passes the prompt as u8 with dimensions [1].
    ctx.set_input(0, TensorType::U8, &[1], prompt).unwrap_or_else(|e| fail("set_input", e));

    let mut out = std::io::stdout();
    let mut meta = vec![0u8; 512];
    if whole {
        ctx.compute().unwrap_or_else(|e| fail("compute", e));
        let mut answer = vec![0u8; 1 << 16];
        let n = ctx.get_output(0, &mut answer).unwrap_or_else(|e| fail("get_output", e));
        out.write_all(&answer[..n]).unwrap();
        let m = ctx.get_output(1, &mut meta).unwrap_or_else(|e| fail("get_output (metadata)", e));
        eprintln!("chat-rs: metadata {}", String::from_utf8_lossy(&meta[..m]));
    } else {
        let mut piece = [0u8; 256];
        loop {
            match ctx.compute_single() {
                Ok(()) => {}
                Err(Error::BackendError(BackendError::EndOfSequence))
                | Err(Error::BackendError(BackendError::ContextFull)) => break,
                Err(e) => fail("compute_single", e),
            }
            let n = ctx.get_output_single(0, &mut piece).unwrap_or_else(|e| fail("get_output_single", e));
            out.write_all(&piece[..n]).unwrap();
            out.flush().unwrap();
        }
        let m = ctx.get_output_single(1, &mut meta).unwrap_or_else(|e| fail("get_output_single (metadata)", e));
        eprintln!("chat-rs: metadata {}", String::from_utf8_lossy(&meta[..m]));
        ctx.fini_single().unwrap_or_else(|e| fail("fini_single", e));
    }
    out.write_all(b"\n").unwrap();
}
