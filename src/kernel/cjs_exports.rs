//! The named exports Node gives ES modules that import a CommonJS module.
//! Not detected yet: every CommonJS module gives only its default export
//! until the detector lands.
pub struct CjsExports {
  pub exports: Vec<String>,
  pub reexports: Vec<String>,
}

pub fn detect(_source: &str) -> CjsExports {
  CjsExports {
    exports: Vec::new(),
    reexports: Vec::new(),
  }
}
