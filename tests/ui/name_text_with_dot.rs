use netshape::network;

// A `.` separates `state_dict` keys: no module name holds one.
network! {
    pub struct Net {
        input: [4],
        for i in 0..2 {
            "block{i}.{i + 1}": Linear(4, 4),
        }
    }
}

fn main() {}
