use netshape::network;

network! {
    pub struct Net {
        input: [8],
        for i in 0..100000 {
            relu(),
        }
    }
}

fn main() {}
