use netshape::network;

// `#[state_order]` lists the children as `__init__` registered them; `head`
// is no child of this network.
network! {
    #[state_order(fc, head, conv)]
    pub struct Net {
        input: [3, 6, 6],
        conv: Conv2d(3, 4, 3),
        flatten(1),
        fc: Linear(64, 5),
    }
}

fn main() {}
