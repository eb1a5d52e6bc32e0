// node.h and V8's headers, as system headers so that their warnings stay theirs.
#pragma once
#pragma GCC system_header
#include <node.h>
#include <node_version.h>
#include <v8-version.h>
#include <v8.h>
