// A size read from a shape is fixed when the network is checked: outside a
// resize to that shape (`interpolate(size = skip.shape[-2..])`), it cannot
// follow a size that varies.
use netshape::network;

network! {
    pub struct Net {
        input: [8, H = 15, W = 15] where H in 8..=64, W in 8..=64,
        let skip = [conv: Conv2d(8, 8, 3, padding = 1)],
        down: Conv2d(8, 16, 3, stride = 2),
        AdaptiveAvgPool2d((skip.size(2), 1)),
    }
}

fn main() {}
