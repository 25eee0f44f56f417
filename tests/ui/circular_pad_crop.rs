use netshape::network;

network! {
    pub struct Net {
        input: [1, 4],
        pad((3, -5), mode = "circular"),
    }
}

fn main() {}
