// OpenVINO's exception texts, made into one-line reasons.
#pragma once
#include <string>

namespace wnn::nn {

// An exception's text on one line, without OpenVINO's "Exception from
// src/...cpp:123:" location lines (nested ones too) and "Check '...' failed at
// src/...:N:" prefixes, at most ~400 characters.
std::string first_line(const char* what);

}  // namespace wnn::nn
