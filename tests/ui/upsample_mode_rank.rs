use netshape::network;

network! {
    pub struct Net {
        input: [3, 32],
        up: Upsample(scale_factor = 2, mode = "bilinear"),
    }
}

fn main() {}
