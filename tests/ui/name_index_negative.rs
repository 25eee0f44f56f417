use netshape::network;

network! {
    pub struct Net {
        input: [8],
        for i in 0..2 {
            fc{i - 1}: Linear(8, 8),
        }
    }
}

fn main() {}
