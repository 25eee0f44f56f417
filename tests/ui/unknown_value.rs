use netshape::network;

network! {
    pub struct Net {
        input: [16, 32, 32],
        let skip = [],
        conv: Conv2d(16, 16, 3, padding = 1),
        add([], skp),
    }
}

fn main() {}
