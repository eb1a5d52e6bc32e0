//! Running a parsed program: lists, `&&`/`||`, pipelines (each stage a
//! process of its own), compound commands, redirections, functions, and
//! finding what a command name runs (a builtin, a function, `node`, a
//! shell, or nothing: 127).
use std::sync::Arc;

use brush_parser::ast;

use super::io::{self, Io};
use super::{builtins, Flow, Shell, Status, MAX_DEPTH, MAX_SUBST_BYTES};
use crate::kernel::child;
use crate::kernel::error::{Errno, OpError};
use crate::kernel::op::StrOrBytes;
use crate::kernel::pipe::PipeEnd;
use crate::kernel::stdio::{Stdio, Target};
use crate::kernel::syscall::OpState;

/// What a process started from this shell runs.
enum Body {
  Command(ast::Command),
  AndOr(ast::AndOrList),
  Script(String),
}

/// dash's words for an errno in its messages.
pub fn describe(e: Errno) -> &'static str {
  match e {
    Errno::ENOENT => "No such file",
    Errno::EACCES | Errno::EPERM => "Permission denied",
    Errno::EISDIR => "Is a directory",
    Errno::ENOTDIR => "Not a directory",
    Errno::EEXIST => "File exists",
    Errno::ENOSPC => "No space left on device",
    Errno::EROFS => "Read-only file system",
    Errno::EFBIG => "File too large",
    _ => "I/O error",
  }
}

/// The linux open flags of a redirection's first open.
const O_WRONLY_CREAT_TRUNC: i32 = 1 | 0o100 | 0o1000;
const O_WRONLY_CREAT_APPEND: i32 = 1 | 0o100 | 0o2000;

fn line_of(loc: Option<&brush_parser::TokenLocation>) -> Option<usize> {
  loc.map(|l| l.start.line)
}

impl Shell {
  /// Parses and runs `src`.
  pub fn run_script(&mut self, s: &mut OpState, src: &str) -> Status {
    let program = match super::parse::parse(src, self.bash) {
      Ok(p) => p,
      Err(msg) => {
        self.error(s, &msg);
        return Err(Flow::Exit(2));
      }
    };
    self.run_program(s, &program)
  }

  pub fn run_program(&mut self, s: &mut OpState, program: &ast::Program) -> Status {
    let mut status = 0;
    for list in &program.complete_commands {
      status = self.run_list(s, list)?;
    }
    Ok(status)
  }

  pub fn run_list(&mut self, s: &mut OpState, list: &ast::CompoundList) -> Status {
    let mut status = self.status;
    for ast::CompoundListItem(and_or, sep) in &list.0 {
      if s.control.stopped() {
        return Err(Flow::Stopped);
      }
      if !self.jobs.is_empty() {
        self.reap_jobs(s);
      }
      if self.vars.over() {
        self.error(s, "out of memory: variables too large");
        return Err(Flow::Exit(2));
      }
      if matches!(sep, ast::SeparatorOperator::Async) {
        let mut child = self.clone();
        child.fds[0] = Io::Null;
        let pid = self.spawn_body(s, child, Body::AndOr(and_or.clone()));
        match pid {
          Ok(pid) => {
            self.last_bg = Some(pid);
            self.jobs.push(pid);
            status = 0;
          }
          Err(msg) => {
            self.error(s, &msg);
            status = 2;
          }
        }
      } else {
        status = self.run_and_or(s, and_or)?;
      }
      self.status = status;
    }
    Ok(status)
  }

  fn run_and_or(&mut self, s: &mut OpState, list: &ast::AndOrList) -> Status {
    let last = list.additional.len();
    let guarded = last > 0;
    let mut status = self.run_pipeline(s, &list.first, guarded)?;
    for (n, next) in list.additional.iter().enumerate() {
      self.status = status;
      let (run, p) = match next {
        ast::AndOr::And(p) => (status == 0, p),
        ast::AndOr::Or(p) => (status != 0, p),
      };
      if run {
        status = self.run_pipeline(s, p, n + 1 < last)?;
      }
    }
    Ok(status)
  }

  fn run_pipeline(&mut self, s: &mut OpState, p: &ast::Pipeline, guarded: bool) -> Status {
    let status = if p.seq.len() == 1 {
      self.run_command(s, &p.seq[0])?
    } else {
      self.run_stages(s, &p.seq)?
    };
    let status = if p.bang {
      i32::from(status == 0)
    } else {
      status
    };
    self.status = status;
    if self.errexit && status != 0 && !guarded && !p.bang {
      return Err(Flow::Exit(status));
    }
    Ok(status)
  }

  /// A pipeline of several commands: each a process, joined by pipes; its
  /// status is the last one's.
  fn run_stages(&mut self, s: &mut OpState, seq: &[ast::Command]) -> Status {
    let mut pids = Vec::new();
    let mut input = self.fds[0].clone();
    for (i, cmd) in seq.iter().enumerate() {
      let (out, next) = if i + 1 < seq.len() {
        match PipeEnd::pair(&s.kernel.pipes) {
          Ok((r, w)) => (Io::Pipe(Arc::new(w)), Io::Pipe(Arc::new(r))),
          Err(e) => {
            self.error(s, &format!("cannot create pipe: {}", e.description()));
            self.kill_all(s, &pids);
            return Ok(2);
          }
        }
      } else {
        (self.fds[1].clone(), Io::Null)
      };
      let mut child = self.clone();
      child.fds[0] = std::mem::replace(&mut input, next);
      child.fds[1] = out;
      match self.spawn_body(s, child, Body::Command(cmd.clone())) {
        Ok(pid) => pids.push(pid),
        Err(msg) => {
          self.error(s, &msg);
          self.kill_all(s, &pids);
          return Ok(2);
        }
      }
    }
    drop(input);
    let mut status = 0;
    for (i, pid) in pids.iter().enumerate() {
      let st = self.wait_pid(s, *pid);
      match st {
        Ok(c) => status = c,
        Err(f) => {
          self.kill_all(s, &pids[i..]);
          return Err(f);
        }
      }
    }
    Ok(status)
  }

  /// Ends processes started for a command that could not be completed,
  /// and reaps them (unless this process is being stopped: they go with
  /// it, and the host reaps them).
  fn kill_all(&mut self, s: &mut OpState, pids: &[u32]) {
    for pid in pids {
      signal(s, *pid, 9);
    }
    for pid in pids {
      if self.wait_pid(s, *pid).is_err() {
        return;
      }
    }
  }

  /// Starts `child` running `body` as a process of its own (a pipeline's
  /// stage, a background job, a command substitution).
  fn spawn_body(&mut self, s: &mut OpState, mut child: Shell, body: Body) -> Result<u32, String> {
    let env = self.child_env(&[]);
    let main: crate::kernel::process::NativeMain = Box::new(move |st: &mut OpState| {
      // `$$` stays the shell's own in its subshells and stages, as dash's.
      let r = match body {
        Body::Command(c) => child.run_command(st, &c),
        Body::AndOr(l) => child.run_and_or(st, &l),
        Body::Script(src) => child.run_script(st, &src),
      };
      let control = st.control.clone();
      for fd in &child.fds {
        fd.flush(&|| control.stopped());
      }
      match r {
        Ok(c) | Err(Flow::Exit(c)) | Err(Flow::Return(c)) => c & 0xff,
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => child.status,
        Err(Flow::Sigpipe) => 141,
        Err(Flow::Stopped) => 137,
      }
    });
    let cwd = s.process.cwd.clone();
    let stdio = Stdio::to(Target::Null, Target::Null);
    child::spawn_native(s, main, cwd, env, stdio, None).map_err(|e| fork_error(&e))
  }

  /// Waits for process `pid` (a child of this one) and reaps it: its
  /// status as the shell reports it (128+n for signal n).
  pub fn wait_pid(&mut self, s: &mut OpState, pid: u32) -> Status {
    let kernel = s.kernel.clone();
    let done = s.control.wait(Box::pin(child::ended(kernel.clone(), pid)));
    if !done {
      signal(s, pid, 9);
      return Err(Flow::Stopped);
    }
    let status = kernel.processes().reap(pid);
    Ok(match status {
      Some((_, Some(sig))) => 128 + i32::from(sig),
      Some((code, None)) => code,
      None => 0,
    })
  }

  /// What `script` writes to stdout, and its status.
  pub fn capture(&mut self, s: &mut OpState, script: &str) -> Result<(Vec<u8>, i32), Flow> {
    let (r, w) = match PipeEnd::pair(&s.kernel.pipes) {
      Ok(p) => p,
      Err(e) => {
        self.error(s, &format!("cannot create pipe: {}", e.description()));
        return Ok((Vec::new(), 2));
      }
    };
    let mut child = self.clone();
    child.fds[1] = Io::Pipe(Arc::new(w));
    let pid = match self.spawn_body(s, child, Body::Script(script.to_string())) {
      Ok(pid) => pid,
      Err(msg) => {
        self.error(s, &msg);
        return Ok((Vec::new(), 2));
      }
    };
    let r = Io::Pipe(Arc::new(r));
    let mut out = Vec::new();
    // Held against the call's memory as it grows (many shells at once).
    let held = crate::kernel::process::Held::new(s.process.tree.clone());
    loop {
      match r.read(s, io::CHUNK) {
        Ok(Some(d)) => {
          if out.len() + d.len() > MAX_SUBST_BYTES {
            signal(s, pid, 9);
            let _ = self.wait_pid(s, pid);
            self.error(s, "command substitution output too large");
            return Err(Flow::Exit(2));
          }
          held.add(d.len());
          out.extend_from_slice(&d);
        }
        Ok(None) => break,
        Err(_) => {
          signal(s, pid, 9);
          return Err(Flow::Stopped);
        }
      }
    }
    let status = self.wait_pid(s, pid)?;
    Ok((out, status))
  }

  /// A `while`, `until` or `for` loop.
  fn run_loop(&mut self, s: &mut OpState, c: &ast::CompoundCommand) -> Status {
    use ast::CompoundCommand as C;
    match c {
      C::WhileClause(w) | C::UntilClause(w) => {
        let until = matches!(c, C::UntilClause(_));
        let mut status = 0;
        loop {
          if s.control.stopped() {
            return Err(Flow::Stopped);
          }
          let cond = self.run_condition(s, &w.0)?;
          if (cond == 0) == until {
            break;
          }
          if !loop_step(self.run_list(s, &w.1.list), &mut status)? {
            break;
          }
        }
        Ok(status)
      }
      C::ForClause(f) => {
        let values = match &f.values {
          Some(words) => {
            let w: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
            self.expand_all(s, &w)?
          }
          None => self.positional.clone(),
        };
        let mut status = 0;
        for v in values {
          if s.control.stopped() {
            return Err(Flow::Stopped);
          }
          self.vars.insert(f.variable_name.clone(), v);
          if !loop_step(self.run_list(s, &f.body.list), &mut status)? {
            break;
          }
        }
        Ok(status)
      }
      _ => Ok(0),
    }
  }

  pub fn run_command(&mut self, s: &mut OpState, cmd: &ast::Command) -> Status {
    if s.control.stopped() {
      return Err(Flow::Stopped);
    }
    // Compound commands inside functions inside compound commands...: the
    // thread's stack bounds them all together.
    if self.nest >= super::MAX_NEST {
      self.error(s, "commands nested too deeply");
      return Err(Flow::Exit(2));
    }
    self.nest += 1;
    let r = self.run_command_inner(s, cmd);
    self.nest -= 1;
    r
  }

  fn run_command_inner(&mut self, s: &mut OpState, cmd: &ast::Command) -> Status {
    match cmd {
      ast::Command::Simple(c) => self.run_simple(s, c),
      ast::Command::Compound(c, redirs) => match redirs {
        None => self.run_compound(s, c),
        Some(list) => {
          let saved = self.fds.clone();
          let applied = self.apply_redirects(s, &list.0.iter().collect::<Vec<_>>())?;
          let r = match applied {
            Ok(fds) => {
              self.fds = fds;
              self.run_compound(s, c)
            }
            Err(msg) => {
              self.error(s, &msg);
              Ok(2)
            }
          };
          self.fds = saved;
          r
        }
      },
      ast::Command::Function(f) => {
        if self.functions.len() >= super::MAX_FUNCTIONS
          && !self.functions.contains_key(&f.fname.value)
        {
          self.error(s, "too many functions");
          return Ok(2);
        }
        self
          .functions
          .insert(f.fname.value.clone(), Arc::new(f.body.clone()));
        Ok(0)
      }
      ast::Command::ExtendedTest(t) => {
        let r = self.extended_test(s, &t.expr)?;
        Ok(i32::from(!r))
      }
    }
  }

  fn extended_test(&mut self, s: &mut OpState, e: &ast::ExtendedTestExpr) -> Result<bool, Flow> {
    use ast::ExtendedTestExpr as E;
    Ok(match e {
      E::And(a, b) => self.extended_test(s, a)? && self.extended_test(s, b)?,
      E::Or(a, b) => self.extended_test(s, a)? || self.extended_test(s, b)?,
      E::Not(a) => !self.extended_test(s, a)?,
      E::Parenthesized(a) => self.extended_test(s, a)?,
      E::UnaryTest(p, w) => {
        let w = self.expand_string(s, &w.value)?;
        builtins::test::unary(s, &format!("{p}"), &w).unwrap_or(false)
      }
      E::BinaryTest(p, l, r) => {
        let l = self.expand_string(s, &l.value)?;
        let op = format!("{p}");
        if op == "==" || op == "=" || op == "!=" {
          let pat = self.expand_pattern(s, &r.value)?;
          let m = super::expand::matches(&pat, &l);
          if op == "!=" {
            !m
          } else {
            m
          }
        } else if op == "=~" {
          // bash: an extended regular expression, matched anywhere.
          let r = self.expand_string(s, &r.value)?;
          match regex::RegexBuilder::new(&r).size_limit(1 << 20).build() {
            Ok(re) => re.is_match(&l),
            Err(_) => {
              self.error(s, &format!("{r}: invalid regular expression"));
              false
            }
          }
        } else {
          let r = self.expand_string(s, &r.value)?;
          builtins::test::binary(s, &l, &op, &r).unwrap_or(false)
        }
      }
    })
  }

  fn run_compound(&mut self, s: &mut OpState, c: &ast::CompoundCommand) -> Status {
    use ast::CompoundCommand as C;
    match c {
      C::BraceGroup(b) => self.run_list(s, &b.list),
      C::Subshell(sub) => {
        let mut child = self.clone();
        let cwd = s.process.cwd.clone();
        let r = child.run_list(s, &sub.list);
        s.process.cwd = cwd;
        match r {
          Ok(c) | Err(Flow::Exit(c)) => Ok(c),
          Err(Flow::Stopped) => Err(Flow::Stopped),
          Err(_) => Ok(child.status),
        }
      }
      C::IfClause(i) => {
        if self.run_condition(s, &i.condition)? == 0 {
          return self.run_list(s, &i.then);
        }
        for e in i.elses.iter().flatten() {
          match &e.condition {
            Some(cond) => {
              if self.run_condition(s, cond)? == 0 {
                return self.run_list(s, &e.body);
              }
            }
            None => return self.run_list(s, &e.body),
          }
        }
        Ok(0)
      }
      C::WhileClause(_) | C::UntilClause(_) | C::ForClause(_) => {
        self.loops += 1;
        let r = self.run_loop(s, c);
        self.loops -= 1;
        r
      }
      C::CaseClause(cc) => {
        let value = self.expand_string(s, &cc.value.value)?;
        let mut i = 0;
        let mut fall = false;
        let mut status = 0;
        while i < cc.cases.len() {
          let item = &cc.cases[i];
          let mut hit = fall;
          if !hit {
            for p in &item.patterns {
              let pat = self.expand_pattern(s, &p.value)?;
              if super::expand::matches(&pat, &value) {
                hit = true;
                break;
              }
            }
          }
          if hit {
            if let Some(cmd) = &item.cmd {
              status = self.run_list(s, cmd)?;
            }
            match item.post_action {
              ast::CaseItemPostAction::ExitCase => return Ok(status),
              ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem => fall = true,
              ast::CaseItemPostAction::ContinueEvaluatingCases => fall = false,
            }
          }
          i += 1;
        }
        Ok(status)
      }
      C::Arithmetic(a) => {
        let v = self.arith(s, &a.expr.value)?;
        Ok(i32::from(v == 0))
      }
      C::ArithmeticForClause(_) => {
        self.error(s, "Syntax error: arithmetic for loops are not supported");
        Ok(2)
      }
    }
  }

  /// A condition's status (`set -e` does not apply to it).
  fn run_condition(&mut self, s: &mut OpState, list: &ast::CompoundList) -> Status {
    let e = std::mem::replace(&mut self.errexit, false);
    let r = self.run_list(s, list);
    self.errexit = e;
    r
  }

  fn run_simple(&mut self, s: &mut OpState, c: &ast::SimpleCommand) -> Status {
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut redirs: Vec<&ast::IoRedirect> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    if let Some(line) = line_of(c.word_or_name.as_ref().and_then(|w| w.loc.as_ref())) {
      self.line = line;
    }
    self.subst_status = None;
    let mut pending_assigns: Vec<(&ast::Assignment, &ast::Word)> = Vec::new();
    for item in c.prefix.iter().flat_map(|p| p.0.iter()) {
      match item {
        ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => pending_assigns.push((a, w)),
        ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
        ast::CommandPrefixOrSuffixItem::Word(w) => words.push(&w.value),
        ast::CommandPrefixOrSuffixItem::ProcessSubstitution(..) => {
          self.error(s, "Syntax error: process substitution is not supported");
          return Ok(2);
        }
      }
    }
    if let Some(w) = &c.word_or_name {
      words.push(&w.value);
    }
    for item in c.suffix.iter().flat_map(|p| p.0.iter()) {
      match item {
        ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => words.push(&w.value),
        ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
        ast::CommandPrefixOrSuffixItem::Word(w) => words.push(&w.value),
        ast::CommandPrefixOrSuffixItem::ProcessSubstitution(..) => {
          self.error(s, "Syntax error: process substitution is not supported");
          return Ok(2);
        }
      }
    }
    for (a, _) in pending_assigns {
      let name = match &a.name {
        ast::AssignmentName::VariableName(n) => n.clone(),
        ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
      };
      let value = match &a.value {
        ast::AssignmentValue::Scalar(w) => self.expand_string(s, &w.value)?,
        ast::AssignmentValue::Array(_) => {
          self.error(s, "arrays are not supported");
          return Ok(2);
        }
      };
      let value = if a.append {
        format!(
          "{}{}",
          self.vars.get(&name).cloned().unwrap_or_default(),
          value
        )
      } else {
        value
      };
      assigns.push((name, value));
    }
    let argv = self.expand_all(s, &words)?;
    if argv.is_empty() {
      for (k, v) in assigns {
        self.vars.insert(k, v);
      }
      if !redirs.is_empty() {
        if let Err(msg) = self.apply_redirects(s, &redirs)? {
          self.error(s, &msg);
          return Ok(2);
        }
      }
      return Ok(self.subst_status.unwrap_or(0));
    }
    // `exec cmd`: the shell ends with the command's status.
    if argv.len() > 1 && argv[0] == "exec" {
      let fds = match self.apply_redirects(s, &redirs)? {
        Ok(fds) => fds,
        Err(msg) => {
          self.error(s, &msg);
          return Err(Flow::Exit(2));
        }
      };
      self.fds = fds;
      let code = self.run_argv(s, argv[1..].to_vec(), assigns)?;
      return Err(Flow::Exit(code));
    }
    // `exec` with redirections only: they stay for the shell.
    if argv.len() == 1 && argv[0] == "exec" {
      return match self.apply_redirects(s, &redirs)? {
        Ok(fds) => {
          self.fds = fds;
          Ok(0)
        }
        Err(msg) => {
          self.error(s, &msg);
          Err(Flow::Exit(2))
        }
      };
    }
    let fds = match self.apply_redirects(s, &redirs)? {
      Ok(fds) => fds,
      Err(msg) => {
        self.error(s, &msg);
        return Ok(2);
      }
    };
    let saved = std::mem::replace(&mut self.fds, fds);
    let r = self.run_argv(s, argv, assigns);
    let control = s.control.clone();
    for fd in &self.fds {
      fd.flush(&|| control.stopped());
    }
    self.fds = saved;
    r
  }

  /// Runs command `argv` (with its prefix assignments) on the current
  /// descriptors.
  pub fn run_argv(
    &mut self,
    s: &mut OpState,
    mut argv: Vec<String>,
    assigns: Vec<(String, String)>,
  ) -> Status {
    let name = argv[0].clone();
    if let Some(f) = self.functions.get(&name).cloned() {
      if self.depth >= MAX_DEPTH {
        self.error(s, &format!("{name}: function calls nested too deeply"));
        return Err(Flow::Exit(2));
      }
      let saved_vars: Vec<(String, Option<String>)> = assigns
        .iter()
        .map(|(k, _)| (k.clone(), self.vars.get(k).cloned()))
        .collect();
      for (k, v) in assigns {
        self.vars.insert(k, v);
      }
      let args = argv.split_off(1);
      let saved = std::mem::replace(&mut self.positional, args);
      self.depth += 1;
      let r = match &f.1 {
        None => self.run_compound(s, &f.0),
        Some(redirs) => {
          let cmd = ast::Command::Compound(f.0.clone(), Some(redirs.clone()));
          self.run_command(s, &cmd)
        }
      };
      self.depth -= 1;
      self.positional = saved;
      for (k, v) in saved_vars {
        match v {
          Some(v) => self.vars.insert(k, v),
          None => self.vars.remove(&k),
        };
      }
      return match r {
        Err(Flow::Return(c)) => Ok(c),
        r => r,
      };
    }
    // A builtin by its name or by its path in /bin.
    let base = name
      .strip_prefix("/usr/bin/")
      .or_else(|| name.strip_prefix("/bin/"))
      .or_else(|| name.strip_prefix("/usr/local/bin/"))
      .unwrap_or(&name)
      .to_string();
    if child::is_shell(&name) || super::super::child::is_node(&name) {
      return self.run_external(s, &name, &argv[1..], &assigns);
    }
    if let Some(b) = builtins::find(&base) {
      let special = builtins::is_special(&base);
      let saved: Vec<(String, Option<String>)> = if special {
        Vec::new()
      } else {
        assigns
          .iter()
          .map(|(k, _)| (k.clone(), self.vars.get(k).cloned()))
          .collect()
      };
      let exported: Vec<String> = assigns.iter().map(|(k, _)| k.clone()).collect();
      let newly: Vec<String> = exported
        .iter()
        .filter(|k| !self.exported.contains(*k))
        .cloned()
        .collect();
      for (k, v) in assigns {
        self.vars.insert(k.clone(), v);
        if !special {
          self.exported.insert(k);
        }
      }
      argv[0] = base;
      let r = match b(self, s, &argv) {
        Err(Flow::Sigpipe) => Ok(141),
        r => r,
      };
      if !special {
        for k in newly {
          self.exported.remove(&k);
        }
      }
      for (k, v) in saved {
        match v {
          Some(v) => self.vars.insert(k, v),
          None => self.vars.remove(&k),
        };
      }
      return r;
    }
    if matches!(base.as_str(), "npm" | "npx" | "yarn" | "pnpm" | "corepack") {
      self.error(
        s,
        &format!("{base}: not supported in the sandbox (no package manager runs here)"),
      );
      return Ok(127);
    }
    if name.contains('/') {
      // A script of the VFS: run by the shell, or by node for a `#!` to it.
      return match io::read_file(s, &name) {
        Ok(bytes) => {
          let head = String::from_utf8_lossy(&bytes[..bytes.len().min(128)]).into_owned();
          let first = head.lines().next().unwrap_or("");
          if first.starts_with("#!") && first.contains("node") {
            let mut args = vec![name.clone()];
            args.extend_from_slice(&argv[1..]);
            self.run_external(s, "node", &args, &assigns)
          } else if first.starts_with("#!") && !first.contains("sh") {
            self.error(s, &format!("{name}: Permission denied"));
            Ok(126)
          } else {
            let mut args = vec![name.clone()];
            args.extend_from_slice(&argv[1..]);
            self.run_external(s, "/bin/sh", &args, &assigns)
          }
        }
        Err(Errno::ENOENT) | Err(Errno::ENOTDIR) => {
          self.error(s, &format!("{name}: not found"));
          Ok(127)
        }
        Err(_) => {
          self.error(s, &format!("{name}: Permission denied"));
          Ok(126)
        }
      };
    }
    self.error(s, &format!("{name}: not found"));
    Ok(127)
  }

  /// `node` or a shell as a child process on this command's descriptors.
  fn run_external(
    &mut self,
    s: &mut OpState,
    file: &str,
    args: &[String],
    assigns: &[(String, String)],
  ) -> Status {
    if let Err(e) = child::permit(s, file) {
      let msg = match e {
        OpError::Kernel(k) if k.errno == Errno::EACCES => format!("{file}: Permission denied"),
        _ => format!("{file}: cannot run"),
      };
      self.error(s, &msg);
      return Ok(126);
    }
    let env = self.child_env(assigns);
    let mut pumps: Vec<u32> = Vec::new();
    let fail = |sh: &mut Shell, s: &mut OpState, msg: String, pumps: &[u32]| {
      sh.error(s, &msg);
      sh.kill_all(s, pumps);
      Ok(2)
    };
    let mut targets: Vec<Target> = Vec::new();
    for fd in [1, 2] {
      let io = self.fds[fd].clone();
      // `> f 2>&1`: one pump keeps the two streams in order.
      if let (Io::File(a), Io::File(b), Some(Target::Pipe(w))) =
        (&self.fds[1], &io, targets.first())
      {
        if fd == 2 && Arc::ptr_eq(a, b) {
          match w.dup() {
            Ok(w) => {
              targets.push(Target::Pipe(w));
              continue;
            }
            Err(e) => return fail(self, s, e.description().to_string(), &pumps),
          }
        }
      }
      match io.target() {
        Ok(Some(t)) => targets.push(t),
        Ok(None) => {
          let (r, w) = match PipeEnd::pair(&s.kernel.pipes) {
            Ok(p) => p,
            Err(e) => {
              return fail(
                self,
                s,
                format!("cannot create pipe: {}", e.description()),
                &pumps,
              )
            }
          };
          let from = Io::Pipe(Arc::new(r));
          match spawn_pump(s, from, io) {
            Ok(pid) => pumps.push(pid),
            Err(e) => return fail(self, s, fork_error(&e), &pumps),
          }
          targets.push(Target::Pipe(w));
        }
        Err(e) => return fail(self, s, e.description().to_string(), &pumps),
      }
    }
    let stdin = match &self.fds[0] {
      Io::Pipe(p) => p.dup().ok(),
      Io::Data(_) => {
        let (r, w) = match PipeEnd::pair(&s.kernel.pipes) {
          Ok(p) => p,
          Err(e) => {
            return fail(
              self,
              s,
              format!("cannot create pipe: {}", e.description()),
              &pumps,
            )
          }
        };
        let from = self.fds[0].clone();
        let to = Io::Pipe(Arc::new(w));
        match spawn_pump(s, from, to) {
          Ok(pid) => pumps.push(pid),
          Err(e) => return fail(self, s, fork_error(&e), &pumps),
        }
        Some(r)
      }
      _ => None,
    };
    let stderr = targets.pop().unwrap_or(Target::Null);
    let stdout = targets.pop().unwrap_or(Target::Null);
    if let Err(e) = child::check_size(file, args, env.iter().map(|(k, v)| k.len() + v.len() + 1)) {
      return fail(self, s, fork_error(&e), &pumps);
    }
    let launched = child::launch(
      s,
      child::Launch {
        file: file.to_string(),
        args: args.to_vec(),
        cwd: s.process.cwd.clone(),
        env,
        stdout,
        stderr,
        stdin,
      },
    );
    let pid = match launched {
      Ok(pid) => pid,
      Err(e) => return fail(self, s, fork_error(&e), &pumps),
    };
    let status = self.wait_pid(s, pid)?;
    for p in pumps {
      self.wait_pid(s, p)?;
    }
    Ok(status)
  }

  /// The descriptors after `redirs`, applied in order to a copy of the
  /// current ones; `Err`: the shell's message.
  pub fn apply_redirects(
    &mut self,
    s: &mut OpState,
    redirs: &[&ast::IoRedirect],
  ) -> Result<Result<Vec<Io>, String>, Flow> {
    let mut fds = self.fds.clone();
    for r in redirs {
      match self.redirect(s, &mut fds, r) {
        Ok(()) => {}
        Err(Redir::Msg(m)) => return Ok(Err(m)),
        Err(Redir::Flow(f)) => return Err(f),
      }
    }
    Ok(Ok(fds))
  }

  fn open_out(&mut self, s: &mut OpState, path: &str, append: bool) -> Result<Io, Redir> {
    match path {
      "/dev/null" => return Ok(Io::Null),
      "/dev/stdout" => return Ok(self.fds[1].clone()),
      "/dev/stderr" => return Ok(self.fds[2].clone()),
      _ => {}
    }
    let abs = absolute(&s.process.cwd, path);
    let flags = if append {
      O_WRONLY_CREAT_APPEND
    } else {
      O_WRONLY_CREAT_TRUNC
    };
    crate::kernel::fs::write_file(s, &abs, StrOrBytes::from_bytes(b""), flags, 0o666).map_err(
      |e| {
        let e = io::errno_of(e);
        let why = match e {
          Errno::ENOENT => "Directory nonexistent",
          e => describe(e),
        };
        Redir::Msg(format!("cannot create {path}: {why}"))
      },
    )?;
    Ok(Io::File(Arc::new(io::FileOut { path: abs })))
  }

  fn redirect(
    &mut self,
    s: &mut OpState,
    fds: &mut [Io],
    r: &ast::IoRedirect,
  ) -> Result<(), Redir> {
    use ast::{IoFileRedirectKind as K, IoFileRedirectTarget as T};
    let slot = |fd: Option<i32>, default: usize| -> Result<usize, Redir> {
      let fd = fd.map_or(default, |f| f as usize);
      if fd > 9 {
        return Err(Redir::Msg(format!("{fd}: Bad file descriptor")));
      }
      Ok(fd)
    };
    match r {
      ast::IoRedirect::File(fd, kind, target) => {
        let input = matches!(kind, K::Read | K::DuplicateInput | K::ReadAndWrite);
        let at = slot(*fd, if input { 0 } else { 1 })?;
        let word = match target {
          T::Filename(w) => Some(self.expand_string(s, &w.value).map_err(Redir::Flow)?),
          T::Duplicate(w) => {
            let v = self.expand_string(s, &w.value).map_err(Redir::Flow)?;
            match v.as_str() {
              "-" => {
                fds[at] = Io::Closed;
                return Ok(());
              }
              n if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                let from = n.parse::<usize>().unwrap_or(99);
                if from > 9 || matches!(fds[from], Io::Closed) {
                  return Err(Redir::Msg(format!("{n}: Bad file descriptor")));
                }
                fds[at] = fds[from].clone();
                return Ok(());
              }
              _ => Some(v),
            }
          }
          T::Fd(n) => {
            let from = *n as usize;
            if from > 9 || matches!(fds[from], Io::Closed) {
              return Err(Redir::Msg(format!("{n}: Bad file descriptor")));
            }
            fds[at] = fds[from].clone();
            return Ok(());
          }
          T::ProcessSubstitution(..) => {
            return Err(Redir::Msg("process substitution is not supported".into()))
          }
        };
        let path = word.unwrap_or_default();
        match kind {
          K::Read | K::ReadAndWrite | K::DuplicateInput => {
            if path == "/dev/null" {
              fds[at] = Io::Null;
              return Ok(());
            }
            let bytes = io::read_file(s, &path)
              .map_err(|e| Redir::Msg(format!("cannot open {path}: {}", describe(e))))?;
            fds[at] = Io::data(bytes);
          }
          K::Write | K::Clobber | K::DuplicateOutput => {
            let out = self.open_out(s, &path, false)?;
            fds[at] = out;
            if matches!(kind, K::DuplicateOutput) && fd.is_none() {
              fds[2] = fds[1].clone();
            }
          }
          K::Append => {
            fds[at] = self.open_out(s, &path, true)?;
          }
        }
      }
      ast::IoRedirect::HereDocument(fd, doc) => {
        let at = slot(*fd, 0)?;
        let mut text = doc.doc.value.clone();
        if doc.remove_tabs {
          text = text
            .split_inclusive('\n')
            .map(|l| l.trim_start_matches('\t'))
            .collect();
        }
        if doc.requires_expansion {
          text = self.expand_heredoc(s, &text).map_err(Redir::Flow)?;
        }
        fds[at] = Io::data(text.into_bytes());
      }
      ast::IoRedirect::HereString(fd, w) => {
        let at = slot(*fd, 0)?;
        let mut v = self.expand_string(s, &w.value).map_err(Redir::Flow)?;
        v.push('\n');
        fds[at] = Io::data(v.into_bytes());
      }
      ast::IoRedirect::OutputAndError(w, append) => {
        let path = self.expand_string(s, &w.value).map_err(Redir::Flow)?;
        let out = self.open_out(s, &path, *append)?;
        fds[1] = out.clone();
        fds[2] = out;
      }
    }
    Ok(())
  }

  /// `$((expr))`.
  pub fn arith(&mut self, s: &mut OpState, expr: &str) -> Result<i64, Flow> {
    let text = self.expand_heredoc(s, expr)?;
    let mut p = Arith {
      c: text.chars().collect(),
      i: 0,
      sh: self,
      depth: 0,
    };
    match p.assign() {
      Ok(v) => {
        p.ws();
        if p.i < p.c.len() {
          let msg = format!("arithmetic expression: expecting EOF: \"{text}\"");
          self.error(s, &msg);
          return Err(Flow::Exit(2));
        }
        Ok(v)
      }
      Err(m) => {
        let msg = format!("arithmetic expression: {m}: \"{text}\"");
        self.error(s, &msg);
        Err(Flow::Exit(2))
      }
    }
  }
}

/// Why a redirection failed.
enum Redir {
  Msg(String),
  Flow(Flow),
}

/// `path` against `cwd`.
pub fn absolute(cwd: &str, path: &str) -> String {
  if path.starts_with('/') {
    path.to_string()
  } else if cwd.ends_with('/') {
    format!("{cwd}{path}")
  } else {
    format!("{cwd}/{path}")
  }
}

fn fork_error(e: &OpError) -> String {
  match e {
    OpError::Kernel(k) if k.errno == Errno::EAGAIN => "Cannot fork: too many processes".into(),
    OpError::Kernel(k) if k.errno == Errno::E2BIG => "Argument list too long".into(),
    OpError::Kernel(k) if k.errno == Errno::EACCES => "Permission denied".into(),
    OpError::Kernel(k) => format!("Cannot fork: {}", k.errno.description()),
    _ => "Cannot fork".into(),
  }
}

/// Sends `sig` to process `pid` of the runtime.
pub fn signal(s: &OpState, pid: u32, sig: u8) -> bool {
  s.kernel.signal(pid, sig)
}

/// A small evaluator of the shell's integer arithmetic.
struct Arith<'a> {
  c: Vec<char>,
  i: usize,
  sh: &'a mut Shell,
  /// Parentheses and unary operators nested (the text may come from a
  /// variable, past the script's own bound).
  depth: usize,
}

/// Nesting of one arithmetic expression.
const MAX_ARITH_DEPTH: usize = 200;

impl Arith<'_> {
  fn ws(&mut self) {
    while self.i < self.c.len() && self.c[self.i].is_whitespace() {
      self.i += 1;
    }
  }

  fn eat(&mut self, op: &str) -> bool {
    self.ws();
    let chars: Vec<char> = op.chars().collect();
    if self.c[self.i..].starts_with(&chars) {
      // `<` is not `<=`, `&` is not `&&`.
      let next = self.c.get(self.i + chars.len()).copied();
      let longer = matches!(
        (op, next),
        ("<", Some('=' | '<'))
          | (">", Some('=' | '>'))
          | ("&", Some('&'))
          | ("|", Some('|'))
          | ("=", Some('='))
          | ("!", Some('='))
          | ("*", Some('*'))
      );
      if longer {
        return false;
      }
      self.i += chars.len();
      return true;
    }
    false
  }

  fn assign(&mut self) -> Result<i64, String> {
    self.depth += 1;
    if self.depth > MAX_ARITH_DEPTH {
      return Err("expression nested too deeply".into());
    }
    let v = self.assign_inner();
    self.depth -= 1;
    v
  }

  fn assign_inner(&mut self) -> Result<i64, String> {
    self.ws();
    let start = self.i;
    let mut j = self.i;
    while j < self.c.len() && (self.c[j].is_ascii_alphanumeric() || self.c[j] == '_') {
      j += 1;
    }
    if j > start && (self.c[start].is_ascii_alphabetic() || self.c[start] == '_') {
      let name: String = self.c[start..j].iter().collect();
      let rest: String = self.c[j..].iter().collect::<String>();
      let rest = rest.trim_start();
      let skip = self.c.len() - j - rest.chars().count();
      for op in ["+=", "-=", "*=", "/=", "%=", "="] {
        if rest.starts_with(op) && !rest.starts_with("==") {
          self.i = j + skip + op.len();
          let v = self.assign()?;
          let cur = self.var(&name)?;
          let nv = match op {
            "+=" => cur.wrapping_add(v),
            "-=" => cur.wrapping_sub(v),
            "*=" => cur.wrapping_mul(v),
            "/=" => cur.checked_div(v).ok_or("division by zero")?,
            "%=" => cur.checked_rem(v).ok_or("division by zero")?,
            _ => v,
          };
          self.sh.vars.insert(name, nv.to_string());
          return Ok(nv);
        }
      }
    }
    self.ternary()
  }

  fn ternary(&mut self) -> Result<i64, String> {
    let c = self.or()?;
    if self.eat("?") {
      let a = self.assign()?;
      if !self.eat(":") {
        return Err("expecting ':'".into());
      }
      let b = self.assign()?;
      return Ok(if c != 0 { a } else { b });
    }
    Ok(c)
  }

  fn or(&mut self) -> Result<i64, String> {
    let mut v = self.and()?;
    while self.eat("||") {
      let r = self.and()?;
      v = i64::from(v != 0 || r != 0);
    }
    Ok(v)
  }

  fn and(&mut self) -> Result<i64, String> {
    let mut v = self.bits()?;
    while self.eat("&&") {
      let r = self.bits()?;
      v = i64::from(v != 0 && r != 0);
    }
    Ok(v)
  }

  fn bits(&mut self) -> Result<i64, String> {
    let mut v = self.cmp()?;
    loop {
      if self.eat("|") {
        v |= self.cmp()?;
      } else if self.eat("^") {
        v ^= self.cmp()?;
      } else if self.eat("&") {
        v &= self.cmp()?;
      } else {
        return Ok(v);
      }
    }
  }

  fn cmp(&mut self) -> Result<i64, String> {
    let mut v = self.shift()?;
    loop {
      let f: fn(i64, i64) -> bool = if self.eat("==") {
        |a, b| a == b
      } else if self.eat("!=") {
        |a, b| a != b
      } else if self.eat("<=") {
        |a, b| a <= b
      } else if self.eat(">=") {
        |a, b| a >= b
      } else if self.eat("<") {
        |a, b| a < b
      } else if self.eat(">") {
        |a, b| a > b
      } else {
        return Ok(v);
      };
      let r = self.shift()?;
      v = i64::from(f(v, r));
    }
  }

  fn shift(&mut self) -> Result<i64, String> {
    let mut v = self.sum()?;
    loop {
      if self.eat("<<") {
        v = v.wrapping_shl(self.sum()? as u32);
      } else if self.eat(">>") {
        v = v.wrapping_shr(self.sum()? as u32);
      } else {
        return Ok(v);
      }
    }
  }

  fn sum(&mut self) -> Result<i64, String> {
    let mut v = self.product()?;
    loop {
      if self.eat("+") {
        v = v.wrapping_add(self.product()?);
      } else if self.eat("-") {
        v = v.wrapping_sub(self.product()?);
      } else {
        return Ok(v);
      }
    }
  }

  fn product(&mut self) -> Result<i64, String> {
    let mut v = self.unary()?;
    loop {
      if self.eat("*") {
        v = v.wrapping_mul(self.unary()?);
      } else if self.eat("/") {
        let r = self.unary()?;
        v = v.checked_div(r).ok_or("division by zero")?;
      } else if self.eat("%") {
        let r = self.unary()?;
        v = v.checked_rem(r).ok_or("division by zero")?;
      } else {
        return Ok(v);
      }
    }
  }

  fn unary(&mut self) -> Result<i64, String> {
    self.depth += 1;
    if self.depth > MAX_ARITH_DEPTH {
      return Err("expression nested too deeply".into());
    }
    let v = self.unary_inner();
    self.depth -= 1;
    v
  }

  fn unary_inner(&mut self) -> Result<i64, String> {
    if self.eat("-") {
      return Ok(self.unary()?.wrapping_neg());
    }
    if self.eat("+") {
      return self.unary();
    }
    if self.eat("!") {
      return Ok(i64::from(self.unary()? == 0));
    }
    if self.eat("~") {
      return Ok(!self.unary()?);
    }
    self.atom()
  }

  fn var(&self, name: &str) -> Result<i64, String> {
    let v = self.sh.param(name).unwrap_or_default();
    let v = v.trim();
    if v.is_empty() {
      return Ok(0);
    }
    parse_int(v).ok_or_else(|| format!("Illegal number: {v}"))
  }

  fn atom(&mut self) -> Result<i64, String> {
    self.ws();
    if self.eat("(") {
      let v = self.assign()?;
      if !self.eat(")") {
        return Err("expecting ')'".into());
      }
      return Ok(v);
    }
    let start = self.i;
    while self.i < self.c.len() && (self.c[self.i].is_ascii_alphanumeric() || self.c[self.i] == '_')
    {
      self.i += 1;
    }
    if start == self.i {
      return Err("expecting primary".into());
    }
    let tok: String = self.c[start..self.i].iter().collect();
    if tok.chars().next().is_some_and(|c| c.is_ascii_digit()) {
      return parse_int(&tok).ok_or_else(|| format!("Illegal number: {tok}"));
    }
    self.var(&tok)
  }
}

/// An integer as the shell reads one: decimal, `0x` hex or `0` octal.
pub fn parse_int(t: &str) -> Option<i64> {
  let (neg, t) = match t.strip_prefix('-') {
    Some(r) => (true, r),
    None => (false, t.strip_prefix('+').unwrap_or(t)),
  };
  let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
    i64::from_str_radix(h, 16).ok()?
  } else if t.len() > 1 && t.starts_with('0') {
    i64::from_str_radix(&t[1..], 8).ok()?
  } else {
    t.parse().ok()?
  };
  Some(if neg { -v } else { v })
}

/// A process of the shell's own that copies `from` to `to` (a file or
/// bytes a child reads or writes through a pipe): its pid.
fn spawn_pump(s: &mut OpState, from: Io, to: Io) -> Result<u32, crate::kernel::error::OpError> {
  let main: crate::kernel::process::NativeMain =
    Box::new(move |st: &mut OpState| super::pump(st, from, to));
  let cwd = s.process.cwd.clone();
  let quiet = Stdio::to(Target::Null, Target::Null);
  child::spawn_native(s, main, cwd, Vec::new(), quiet, None)
}

/// One pass of a loop's body: whether the loop goes on. `break n` and
/// `continue n` with n > 1 leave this loop for an outer one.
fn loop_step(r: Status, status: &mut i32) -> Result<bool, Flow> {
  match r {
    Ok(st) => {
      *status = st;
      Ok(true)
    }
    Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
    Err(Flow::Break(_)) => Ok(false),
    Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
    Err(Flow::Continue(_)) => Ok(true),
    Err(f) => Err(f),
  }
}
