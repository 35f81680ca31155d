//! The store's headings share their note's title.

use super::*;

/// A vault's headings share their note's ASCII title in the store (only
/// the heading's text is kept) and are matched and shown as the whole
/// `Title › Heading`, as when pushed one by one with their whole text;
/// titles or headings that are not ASCII keep theirs.
#[test]
fn headings_share_their_titles_text_and_match_as_the_whole() {
    let v = vault(vec![
        note("Model context", &["Protocol basics", "Context windows"]),
        note("Café notes", &["Crème brûlée", "Plain heading"]),
        note("Plain", &["Ünïcode heading", "Ascii one"]),
        note("No headings", &[]),
    ]);
    let shared = Store::of_vault(&v);
    let mut whole = Store::default();
    for id in v.ids() {
        let n = v.note(id);
        whole.push_text(SearchItem::note(id), &n.title);
        for (i, h) in (0..).zip(&n.headings) {
            let text = format!("{}{HEADING_SEPARATOR}{}", n.title, h.text());
            whole.push_text(SearchItem::heading(id, i), &text);
        }
    }
    assert_eq!(shared.len(), whole.len());
    let as_string = |hay: Utf32Str<'_>| match hay {
        Utf32Str::Ascii(b) => String::from_utf8_lossy(b).into_owned(),
        Utf32Str::Unicode(c) => c.iter().collect(),
    };
    for idx in 0..whole.len() {
        let (a, b) = (
            shared.with_haystack(idx, |h| (as_string(h), shared.text(idx, h))),
            whole.with_haystack(idx, |h| (as_string(h), whole.text(idx, h))),
        );
        assert_eq!(a, b, "{idx}");
        assert_eq!(shared.hot[idx as usize].mask, whole.hot[idx as usize].mask);
        assert_eq!(shared.hot[idx as usize].len, whole.hot[idx as usize].len);
    }
    // `Model context` is kept once, not once per heading.
    let kept = |store: &Store| {
        (0..store.len())
            .filter(|&i| store.with_haystack(i, |h| as_string(h).starts_with("Model context")))
            .count()
    };
    assert_eq!((kept(&shared), kept(&whole)), (3, 3));
    assert!(shared.ascii_len() + 2 * "Model context > ".len() <= whole.ascii_len());
    // Two stores whose titles lie at the same places: each heading is
    // put together from its own store's title, read in turn.
    let other = vault(vec![note(
        "Zebra caravan",
        &["Protocol basics", "Context windows"],
    )]);
    let other = Store::of_vault(&other);
    for idx in [1, 2, 1, 2] {
        let mine = shared.with_haystack(idx, as_string);
        let theirs = other.with_haystack(idx, as_string);
        assert!(mine.starts_with("Model context > "), "{mine}");
        assert!(theirs.starts_with("Zebra caravan > "), "{theirs}");
    }
    // Ranked as the whole texts are.
    let mut s = loaded(&v);
    s.set_query("mod win");
    s.settle();
    assert_eq!(texts(&mut s), ["Model context › Context windows"]);
}
