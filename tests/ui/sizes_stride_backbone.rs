// A stride-32 classifier head that assumes 224: its `Linear` sees the
// flattened map only at sizes 224..=255.
use netshape::network;

network! {
    pub struct Net {
        input: [3, H = 224, W = 224] where H in 64..=512, H % 32 == 0, W in 224..=224,
        Conv2d(3, 8, 3, stride = 32, padding = 1),
        flatten(1),
        fc: Linear(8 * 7 * 7, 10),
    }
}

fn main() {}
