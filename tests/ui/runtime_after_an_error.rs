// A network with a mistake still names a type the runtime accepts, so code
// that loads and runs it reports nothing beyond the mistake itself.
use netshape::network;
use netshape::runtime::{Device, Model};

network! {
    pub struct Net {
        input: [3, 8, 8],
        conv: Conv2d(4, 8, 3),
    }
}

fn main() {
    let model = Model::<Net>::init(0, &Device::Cpu);
    let _ = model.map(|model| model.forward_raw(Vec::new()));
}
