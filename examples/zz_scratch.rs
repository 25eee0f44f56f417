#[allow(dead_code)]
#[path = "resnet18.rs"]
mod resnet18;
fn main() {
    for l in resnet18::ResNet18::LAYERS.iter().take(40) {
        println!(
            "{:?} {:?} f={} c={} d={} src={:?} in={:?} out={:?} p={} k={:?} ma={} ba={} ip={}",
            l.name,
            l.kind,
            l.functional,
            l.container,
            l.depth,
            l.sources,
            l.input,
            l.output,
            l.params,
            l.kernel,
            l.mult_adds,
            l.bias_adds,
            l.inplace
        );
    }
}
