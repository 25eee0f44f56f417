//! "Did you mean …?" for misspelt layer, argument and constant names.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo:
/// the same letters in another case, or a few edits away.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let budget = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&wrong_lower, &candidate.to_lowercase()), candidate))
        .filter(|&(distance, _)| distance <= budget)
        .min_by_key(|&(distance, candidate)| (distance, candidate.len()))
        .map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and
/// swaps of neighbours each cost one.
fn edit_distance(left: &str, right: &str) -> usize {
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    let width = right.len() + 1;
    let mut table = vec![0usize; (left.len() + 1) * width];
    for i in 0..=left.len() {
        for j in 0..=right.len() {
            table[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let substitution = table[(i - 1) * width + j - 1] + usize::from(left[i - 1] != right[j - 1]);
                let mut best = substitution.min(table[(i - 1) * width + j] + 1).min(table[i * width + j - 1] + 1);
                if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                    best = best.min(table[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    table[left.len() * width + right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let layers = ["Conv2d", "Conv1d", "ReLU", "Linear", "MaxPool2d", "relu"];
        assert_eq!(did_you_mean("Conv2D", layers), Some("Conv2d"));
        assert_eq!(did_you_mean("Relu", layers), Some("ReLU"));
        assert_eq!(did_you_mean("Lienar", layers), Some("Linear"));
        assert_eq!(did_you_mean("Maxpool2d", layers), Some("MaxPool2d"));
        assert_eq!(did_you_mean("Transformer", layers), None);
        assert_eq!(did_you_mean("kernal_size", ["kernel_size", "stride"]), Some("kernel_size"));
    }
}
