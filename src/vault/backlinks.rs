//! Backlinks and the topics without a note, from the resolved links (the
//! last phase of [`Vault::finish`], beside the tree).

use super::{Backlink, NoteId, Resolution, Vault, WantedTopic, key::key_of, resolve};

impl Vault {
    #[cfg(test)]
    pub(crate) fn backlinks_and_wanted(&self) -> (Vec<Vec<Backlink>>, Vec<WantedTopic>) {
        self.backlinks_and_wanted_in(false)
    }

    pub(super) fn backlinks_and_wanted_in(
        &self,
        in_path_order: bool,
    ) -> (Vec<Vec<Backlink>>, Vec<WantedTopic>) {
        let mut backlinks = vec![Vec::new(); self.notes.len()];
        let mut wanted: resolve::KeyMap<String, WantedTopic> = resolve::KeyMap::default();
        let mut order: Vec<NoteId> = self.ids().collect();
        let by_path = |a: &NoteId, b: &NoteId| self.note(*a).path.cmp(&self.note(*b).path);
        debug_assert!(!in_path_order || order.is_sorted_by(|a, b| by_path(a, b).is_le()));
        if !in_path_order {
            order.sort_by(by_path);
        }
        for source in order {
            // Keys this note already counted: a note that writes `[[Foo]]`
            // and `[[foo]]` asks for one topic once (a set, so that a note
            // with 100,000 distinct targets is not 100,000² comparisons).
            let mut asked: resolve::KeySet<std::borrow::Cow<'_, str>> = resolve::KeySet::default();
            for (i, link) in self.note(source).links.iter().enumerate() {
                match link.resolution() {
                    Resolution::Note { note, .. } if note != source => {
                        backlinks[note.index()].push(Backlink {
                            source,
                            link: u32::try_from(i).unwrap_or(u32::MAX),
                            line: link.line,
                        });
                    }
                    Resolution::Unresolved => {
                        let key = key_of(link.target());
                        let topic = match wanted.get_mut(&*key) {
                            Some(topic) => topic,
                            None => wanted.entry(key.to_string()).or_insert(WantedTopic {
                                key: key.to_string(),
                                target: link.target().to_owned(),
                                links: 0,
                                notes: 0,
                            }),
                        };
                        topic.links += 1;
                        let first_ask = asked.insert(key);
                        if first_ask {
                            topic.notes += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut wanted: Vec<WantedTopic> = wanted.into_values().collect();
        wanted.sort_by(|a, b| {
            b.notes
                .cmp(&a.notes)
                .then(b.links.cmp(&a.links))
                .then(a.key.cmp(&b.key))
        });
        (backlinks, wanted)
    }
}
