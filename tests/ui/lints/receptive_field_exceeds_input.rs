// Three 5×5 convs see 13 pixels; the input is 12 wide. The lint is off
// unless a `#[warn]` turns it on: deep classifiers all pass their input.
#![deny(warnings)]

netshape::network! {
    #[warn(netshape::receptive_field_exceeds_input)]
    pub struct Net {
        input: [1, 12, 12],
        Conv2d(1, 4, 5, padding = 2),
        Conv2d(4, 4, 5, padding = 2),
        Conv2d(4, 4, 5, padding = 2),
    }
}

fn main() {}
