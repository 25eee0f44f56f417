// Conditions that cannot be checked: no upper bound, a default the conditions
// exclude, conditions no size meets, a symbol no dim uses, a default for a
// fixed size, a condition of another form (and a network that fails at its
// default size), too many sizes, too large a modulus, a range given twice, a
// condition before the range, two defaults, an empty range, something else
// than a range, and too many symbols.
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

    pub struct TooMany {
        input: [3, H] where H in 1..=100000,
        Conv1d(3, 4, 3),
    }

    pub struct BigModulus {
        input: [3, H] where H in 8..=100, H % 100000 == 0,
        Conv1d(3, 4, 3),
    }

    pub struct Twice {
        input: [3, H] where H in 8..=100, H in 8..=50,
        Conv1d(3, 4, 3),
    }

    pub struct ConditionFirst {
        input: [3, H] where H % 2 == 0, H in 8..=100,
        Conv1d(3, 4, 3),
    }

    pub struct TwoDefaults {
        input a: [3, H = 8] where H in 1..=100,
        input b: [3, H = 9],
        cat(a, b, dim = 1),
    }

    pub struct EmptyRange {
        input: [3, H] where H in 10..10,
        Conv1d(3, 4, 3),
    }

    pub struct NotARange {
        input: [3, H] where H in 16,
        Conv1d(3, 4, 3),
    }

    pub struct NineSymbols {
        input: [A, B, C, D, E, F, G, H, I]
            where A in 1..=2, B in 1..=2, C in 1..=2, D in 1..=2, E in 1..=2, F in 1..=2, G in 1..=2, H in 1..=2, I in 1..=2,
        ReLU(),
    }
}

fn main() {}
