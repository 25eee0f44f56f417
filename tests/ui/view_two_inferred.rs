use netshape::network;

network! {
    pub struct Net {
        input: [20, 4, 4],
        view(-1, 20, -1),
    }
}

fn main() {}
