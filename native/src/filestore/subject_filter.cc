// Token-wise subject filter matching (subject_filter.h).
#include "filestore/subject_filter.h"

namespace natsd::filestore {

SubjectFilter::SubjectFilter(std::string_view filter) : text_(filter) {
  if (text_.empty() || text_ == ">") {
    all_ = true;
    literal_ = false;
    return;
  }
  size_t start = 0;
  std::string_view view(text_);
  while (true) {
    size_t dot = view.find('.', start);
    std::string_view token = view.substr(start, dot == std::string_view::npos ? dot : dot - start);
    tokens_.push_back(token);
    if (token == "*" || token == ">") literal_ = false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  tail_wildcard_ = tokens_.back() == ">";
}

bool SubjectFilter::Matches(std::string_view subject) const {
  if (all_) return true;
  if (literal_) return subject == text_;
  size_t start = 0;
  size_t i = 0;
  for (; i < tokens_.size(); i++) {
    const std::string_view want = tokens_[i];
    if (want == ">" && i + 1 == tokens_.size()) return start <= subject.size();
    if (start > subject.size()) return false;
    size_t dot = subject.find('.', start);
    std::string_view token =
        subject.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (want != "*" && want != token) return false;
    start = dot == std::string_view::npos ? subject.size() + 1 : dot + 1;
  }
  return start == subject.size() + 1;
}

}  // namespace natsd::filestore
