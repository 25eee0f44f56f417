// More conditions that cannot be checked: too many sizes, too large a
// modulus, a range given twice, a condition before the range, two defaults,
// an empty range, something else than a range, and too many symbols.
use netshape::network;

network! {
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
