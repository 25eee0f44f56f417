// Conditions that cannot be checked: no upper bound, a default the conditions
// exclude, conditions no size meets, a symbol no dim uses, a default for a
// fixed size, and a condition of another form.
use netshape::network;

network! {
    pub struct Unbounded {
        input: [L, 8] where L in 1..,
        Linear(8, 2),
    }

    pub struct BadDefault {
        input: [3, H = 225] where H in 32..=2048, H % 32 == 0,
        Conv1d(3, 4, 3),
    }

    pub struct Empty {
        input: [3, H] where H in 1..=20, H % 32 == 0,
        Conv1d(3, 4, 3),
    }

    pub struct Unused {
        input: [3, 16] where H in 1..=20,
        Conv1d(3, 4, 3),
    }

    pub struct FixedDefault {
        input: [C = 3, 16],
        Conv1d(3, 4, 3),
    }

    pub struct OtherForm {
        input: [3, H] where H in 1..=20, H * 2 == 8,
        Conv1d(3, 4, 3),
    }
}

fn main() {}
