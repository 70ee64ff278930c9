//! A slab of objects addressed by small integer handles. The wrappers keep their Q-tables in
//! one (per thread) so that the hottest calls can name a table by a number written into a
//! shared buffer instead of passing a JS object, which is what costs most in a native call.

/// Objects by handle; freed handles are reused.
#[derive(Debug)]
pub struct Slab<T> {
    items: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { items: Vec::new(), free: Vec::new() }
    }
}

impl<T> Slab<T> {
    pub fn insert(&mut self, item: T) -> u32 {
        match self.free.pop() {
            Some(h) => {
                self.items[h as usize] = Some(item);
                h
            }
            None => {
                self.items.push(Some(item));
                (self.items.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, handle: u32) -> Option<&T> {
        self.items.get(handle as usize).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, handle: u32) -> Option<&mut T> {
        self.items.get_mut(handle as usize).and_then(Option::as_mut)
    }

    pub fn remove(&mut self, handle: u32) -> Option<T> {
        let item = self.items.get_mut(handle as usize).and_then(Option::take);
        if item.is_some() {
            self.free.push(handle);
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn handles_are_reused_and_stale_ones_find_nothing() {
        let mut s = Slab::default();
        let (a, b) = (s.insert("a"), s.insert("b"));
        assert_eq!((s.get(a), s.get(b)), (Some(&"a"), Some(&"b")));
        assert_eq!(s.remove(a), Some("a"));
        assert_eq!(s.get(a), None);
        assert_eq!(s.remove(a), None);
        assert_eq!(s.insert("c"), a);
        assert_eq!(s.get_mut(7), None);
    }
}
