//! Objects addressed by small integer handles, one slab per type and JS thread. The JS
//! objects hold an [`Owned`] handle; raw functions take the handle (a plain function call
//! costs ~60 ns on napi-rs, a class method ~400 ns), and the hottest calls read it from a
//! shared buffer instead of taking any argument (see `qtables`).

use elex_engine::error::{ElexError, Result};
use std::cell::RefCell;
use std::thread::LocalKey;

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

/// A per-thread slab of one object type.
pub type Registry<T> = LocalKey<RefCell<Slab<T>>>;

/// A type that lives in a registry (each declares its own thread-local slab).
pub trait Registered: Sized + 'static {
    fn registry() -> &'static Registry<Self>;
}

/// Declares the registry of a type: `registered!(QTable, TABLES);`.
#[macro_export]
macro_rules! registered {
    ($t:ty, $name:ident) => {
        thread_local! {
            static $name: ::std::cell::RefCell<$crate::registry::Slab<$t>> =
                ::std::cell::RefCell::new($crate::registry::Slab::default());
        }
        impl $crate::registry::Registered for $t {
            fn registry() -> &'static $crate::registry::Registry<Self> {
                &$name
            }
        }
    };
}

/// Runs `f` on the object behind `handle`.
#[inline]
pub fn with<T: Registered, R>(handle: u32, f: impl FnOnce(&mut T) -> Result<R>) -> Result<R> {
    T::registry().with(|objects| {
        let mut objects = objects.try_borrow_mut().map_err(|_| busy())?;
        let object = objects.get_mut(handle).ok_or_else(|| no_object(handle))?;
        f(object)
    })
}

#[cold]
fn busy() -> ElexError {
    ElexError::internal("the object registry is busy (re-entrant call)")
}

#[cold]
fn no_object(handle: u32) -> ElexError {
    ElexError::invalid_argument(format!("no object with handle {handle} (it was freed)"))
}

/// A registered object's handle, owned by one JS object: the object is freed with it.
#[derive(Debug)]
pub struct Owned<T: Registered> {
    handle: u32,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T: Registered> Owned<T> {
    pub fn new(item: T) -> Self {
        let handle = T::registry().with(|objects| objects.borrow_mut().insert(item));
        Owned { handle, _type: std::marker::PhantomData }
    }

    pub fn handle(&self) -> u32 {
        self.handle
    }
}

impl<T: Registered> Drop for Owned<T> {
    fn drop(&mut self) {
        // try_with: at thread exit the registry may already be gone, and that is fine.
        let _ = T::registry().try_with(|objects| objects.try_borrow_mut().map(|mut o| o.remove(self.handle)));
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

    struct Thing(u8);
    crate::registered!(Thing, THINGS);

    #[test]
    fn owned_handles_free_their_object() {
        let owned = super::Owned::new(Thing(4));
        let h = owned.handle();
        assert_eq!(super::with::<Thing, _>(h, |t| Ok(t.0)), Ok(4));
        drop(owned);
        assert_eq!(super::with::<Thing, _>(h, |t| Ok(t.0)).unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
