use netshape::network;

network! {
    pub struct Net {
        input: [20, 4, 4],
        view(32, 320),
    }
}

fn main() {}
