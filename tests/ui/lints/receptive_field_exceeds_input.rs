// Three 5×5 convs see 13 pixels; the input is 12 wide.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [1, 12, 12],
        Conv2d(1, 4, 5, padding = 2),
        Conv2d(4, 4, 5, padding = 2),
        Conv2d(4, 4, 5, padding = 2),
    }
}

fn main() {}
