// A NATS subject filter ("orders.*.eu", "orders.>", ">") matched against literal subjects token
// by token. Parsing allocates; Matches does not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace natsd::filestore {

class SubjectFilter {
 public:
  // An empty filter matches everything, like ">".
  explicit SubjectFilter(std::string_view filter);

  bool matches_all() const { return all_; }
  bool literal() const { return literal_; }
  const std::string& text() const { return text_; }
  bool Matches(std::string_view subject) const;

 private:
  std::string text_;
  std::vector<std::string_view> tokens_;  // views into text_
  bool all_ = false;
  bool literal_ = true;
  bool tail_wildcard_ = false;  // ends with ">"
};

}  // namespace natsd::filestore
