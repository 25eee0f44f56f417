//! Draws torchvision's resnet18 (`examples/resnet18.rs`) as a Graphviz
//! diagram: writes `resnet18.dot`, made by `Summary::dot()`, and, where
//! Graphviz's `dot` program is installed, renders it to `resnet18.svg`.
//!
//! `cargo run --example diagram [DIR]` writes into DIR (`target/diagram` by
//! default) and prints what it wrote, with paths relative to DIR.

use std::error::Error;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;

#[allow(dead_code)]
#[path = "resnet18.rs"]
mod resnet18;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("target/diagram"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;

    let dot = resnet18::ResNet18::SUMMARY.dot().to_string();
    std::fs::write(dir.join("resnet18.dot"), &dot)?;
    // Node statements are `id [label=…]` lines; edges are `a -> b [label=…]`.
    let edges = dot.lines().filter(|line| line.contains(" -> ")).count();
    let nodes = dot
        .lines()
        .filter(|line| {
            !line.contains(" -> ")
                && line.trim_start().split_once(' ').is_some_and(|(_, rest)| rest.starts_with("[label="))
        })
        .count();
    let clusters = dot.lines().filter(|line| line.trim_start().starts_with("subgraph \"cluster_")).count();
    println!("wrote resnet18.dot: {nodes} nodes, {edges} edges, {clusters} clusters");

    let status = Command::new("dot").arg("-Tsvg").arg("-oresnet18.svg").arg("resnet18.dot").current_dir(&dir).status();
    match status {
        Ok(status) if status.success() => println!("wrote resnet18.svg with `dot -Tsvg`"),
        Ok(status) => return Err(format!("`dot -Tsvg` failed: {status}").into()),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            println!("`dot` not found: install Graphviz to render resnet18.svg");
        }
        Err(error) => return Err(format!("running `dot`: {error}").into()),
    }
    Ok(())
}
