//! The invariants of the inode table, checked from scratch (for tests).
use super::*;

impl Vfs {
  /// Checks every invariant (for tests): link counts, byte and inode
  /// totals, entries, reachability, parent links.
  #[cfg_attr(not(test), allow(dead_code, reason = "for tests and diagnostics"))]
  pub fn check_consistency(&self) -> Result<(), String> {
    let mut refs: Vec<u64> = vec![0; self.slots.len()];
    let mut subdirs: Vec<u64> = vec![0; self.slots.len()];
    let mut live = 0u64;
    let mut bytes = 0u64;
    for (i, slot) in self.slots.iter().enumerate() {
      let Some(n) = &slot.inode else { continue };
      live += 1;
      bytes += n.content_bytes();
      let ino = make_ino(i, slot.generation);
      let Body::Dir(d) = &n.body else { continue };
      if n.nlink == 0 && !d.entries.is_empty() {
        return Err(format!("unlinked dir {ino} has entries"));
      }
      for (name, &child) in &d.entries {
        if is_special(name) || name.contains(['/', '\0']) || name.len() > MAX_NAME_LEN {
          return Err(format!("bad entry name {name:?} in {ino}"));
        }
        bytes += len_u64(name.len());
        let c = get(&self.slots, child)
          .map_err(|_| format!("entry {name:?} in {ino} points at dead inode {child}"))?;
        let (ci, _) = slot_index(child).ok_or("bad ino")?;
        refs[ci] += 1;
        if let Body::Dir(cd) = &c.body {
          subdirs[i] += 1;
          if cd.parent != ino {
            return Err(format!(
              "dir {child} ({name:?}) has parent {} not {ino}",
              cd.parent
            ));
          }
          if cd.name != *name {
            return Err(format!(
              "dir {child} is named {:?}, entry {name:?}",
              cd.name
            ));
          }
        }
      }
    }
    if live != self.live {
      return Err(format!("live count {} but {live} inodes", self.live));
    }
    if bytes != self.bytes {
      return Err(format!("bytes_used {} but recomputed {bytes}", self.bytes));
    }
    let mut on_free_list = vec![false; self.slots.len()];
    for &i in &self.free {
      match (on_free_list.get_mut(i), self.slots.get(i)) {
        (Some(f), Some(Slot { inode: None, .. })) if !*f => *f = true,
        _ => {
          return Err(format!(
            "free list entry {i} is live, repeated or out of range"
          ))
        }
      }
    }
    for (i, slot) in self.slots.iter().enumerate() {
      let Some(n) = &slot.inode else {
        if !on_free_list[i] {
          return Err(format!("empty slot {i} not on the free list"));
        }
        continue;
      };
      let ino = make_ino(i, slot.generation);
      let want = match &n.body {
        Body::Dir(_) if ino == ROOT_INO => 2 + subdirs[i],
        Body::Dir(_) if refs[i] == 0 => 0,
        Body::Dir(_) if refs[i] == 1 => 2 + subdirs[i],
        Body::Dir(_) => return Err(format!("dir {ino} has {} entries", refs[i])),
        _ => refs[i],
      };
      if ino == ROOT_INO && refs[i] != 0 {
        return Err("the root is an entry".into());
      }
      if n.nlink != want {
        return Err(format!(
          "inode {ino}: nlink {} but {want} expected",
          n.nlink
        ));
      }
      if n.nlink == 0 && n.opens == 0 {
        return Err(format!("inode {ino} is unlinked and closed but alive"));
      }
    }
    // Reachability from the root, iteratively.
    let mut seen = vec![false; self.slots.len()];
    if let Some(root) = seen.first_mut() {
      *root = true;
    }
    let mut queue = vec![ROOT_INO];
    while let Some(d) = queue.pop() {
      let Ok(Body::Dir(dir)) = get(&self.slots, d).map(|n| &n.body) else {
        continue;
      };
      for &child in dir.entries.values() {
        let (ci, _) = slot_index(child).ok_or("bad ino")?;
        let seen = seen.get_mut(ci).ok_or("ino out of range")?;
        if !*seen {
          *seen = true;
          queue.push(child);
        }
      }
    }
    for (i, slot) in self.slots.iter().enumerate() {
      if let Some(n) = &slot.inode {
        if !seen[i] && (n.opens == 0 || n.nlink != 0) {
          return Err(format!(
            "inode {} unreachable",
            make_ino(i, slot.generation)
          ));
        }
      }
    }
    Ok(())
  }
}
