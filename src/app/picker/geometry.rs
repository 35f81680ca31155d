//! Where the picker's parts are on screen (pure; shared with `ui`).

use ratatui::layout::Rect;

use super::PREVIEW_WIDTH;

/// Where the picker's parts are on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PickerLayout {
    pub frame: Rect,
    pub query: Rect,
    pub list: Rect,
    /// The preview, on terminals at least [`PREVIEW_WIDTH`] wide.
    pub preview: Option<Rect>,
}

/// The picker's layout in a terminal of `area` (pure; shared with `ui`).
#[must_use]
pub fn layout(area: Rect) -> PickerLayout {
    let wide = area.width >= PREVIEW_WIDTH;
    let width = if wide {
        area.width.saturating_sub(4).min(160)
    } else {
        area.width.saturating_sub(4).min(80)
    };
    let max_height = if wide { 32 } else { 22 };
    let height = area
        .height
        .saturating_sub(4)
        .clamp(5, max_height)
        .min(area.height);
    let frame = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + 1.min(area.height - height),
        width,
        height,
    );
    let inner = crate::app::layout::note_text(frame);
    let query = Rect {
        height: 1.min(inner.height),
        ..inner
    };
    let body = Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    };
    if wide && body.height > 0 {
        let list_width = body.width * 9 / 20;
        let list = Rect {
            width: list_width,
            ..body
        };
        // One column of separator between the two.
        let preview = Rect {
            x: body.x + list_width + 2,
            width: body.width.saturating_sub(list_width + 2),
            ..body
        };
        PickerLayout {
            frame,
            query,
            list,
            preview: Some(preview),
        }
    } else {
        PickerLayout {
            frame,
            query,
            list: body,
            preview: None,
        }
    }
}
