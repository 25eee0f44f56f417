// With the runtime on, a step the runtime cannot run is a compile error at
// the step, not a panic when it runs. Functional `instance_norm` without the
// input's statistics would need running statistics, which it cannot be given;
// PyTorch 1.13 refuses it too, so the check stage reports it first, at the
// argument.
use netshape::network;

network! {
    pub struct Net {
        input: [4, 10],
        instance_norm(use_input_stats = false),
    }
}

fn main() {
    let _ = <Net as netshape::program::Runnable>::PROGRAM;
}
