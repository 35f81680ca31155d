use ratatui::layout::Rect;

use super::*;

#[test]
fn layout_has_a_preview_only_when_wide() {
    let l = layout(Rect::new(0, 0, 120, 40));
    let preview = l.preview.unwrap();
    assert!(l.list.width >= 40 && preview.width >= 40);
    assert!(preview.x > l.list.x + l.list.width);
    assert!(preview.right() <= l.frame.right());
    let l = layout(Rect::new(0, 0, 80, 24));
    assert!(l.preview.is_none());
    assert_eq!(l.list.y, l.query.y + 1);
    // Tiny terminals never underflow.
    let l = layout(Rect::new(0, 0, 30, 8));
    assert!(l.frame.bottom() <= 8);
}

#[test]
fn offset_keeps_the_selection_visible() {
    let p = Picker {
        selected: 15,
        ..Picker::default()
    };
    assert_eq!(p.offset(10), 6);
    assert_eq!(p.offset(20), 0);
}
