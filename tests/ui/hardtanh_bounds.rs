use netshape::network;

network! {
    pub struct Net {
        input: [16],
        act: Hardtanh(min_val = 1.0, max_val = -1.0),
    }
}

fn main() {}
