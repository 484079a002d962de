#include "services/common/filter.h"

#include <cctype>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status.h"

namespace palermo {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kHas };

// Bounds that keep a hostile filter from exhausting the handler's stack.
constexpr size_t kMaxFilterLength = 2048;
constexpr int kMaxNesting = 16;

struct Token {
  enum Kind { kWord, kString, kOp, kLParen, kRParen, kEnd } kind;
  std::string text;
};

absl::Status FilterError(std::string description) {
  return InvalidField("filter", std::move(description));
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(') {
      out.push_back({Token::kLParen, "("});
      ++i;
    } else if (c == ')') {
      out.push_back({Token::kRParen, ")"});
      ++i;
    } else if (c == '"' || c == '\'') {
      std::string text;
      size_t j = i + 1;
      while (j < s.size() && s[j] != c) {
        if (s[j] == '\\' && j + 1 < s.size()) ++j;
        text.push_back(s[j++]);
      }
      if (j >= s.size()) return FilterError("unterminated string literal");
      out.push_back({Token::kString, std::move(text)});
      i = j + 1;
    } else if (c == '=' || c == ':') {
      out.push_back({Token::kOp, std::string(1, c)});
      ++i;
    } else if (c == '!' || c == '<' || c == '>') {
      if (i + 1 < s.size() && s[i + 1] == '=') {
        out.push_back({Token::kOp, std::string(s.substr(i, 2))});
        i += 2;
      } else if (c == '!') {
        return FilterError("'!' must be followed by '='");
      } else {
        out.push_back({Token::kOp, std::string(1, c)});
        ++i;
      }
    } else {
      size_t j = i;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) &&
             absl::string_view("()=:!<>\"'").find(s[j]) ==
                 absl::string_view::npos) {
        ++j;
      }
      out.push_back({Token::kWord, std::string(s.substr(i, j - i))});
      i = j;
    }
  }
  out.push_back({Token::kEnd, ""});
  return out;
}

}  // namespace

struct Filter::Node {
  enum Kind { kAnd, kOr, kNot, kCompare } kind;
  std::vector<std::shared_ptr<const Node>> children;
  // kCompare:
  std::vector<const FieldDescriptor*> path;
  Op op = Op::kEq;
  std::variant<std::monostate, int64_t, double, bool, std::string> value;
};

namespace {

using Node = Filter::Node;
using Value = std::variant<std::monostate, int64_t, double, bool, std::string>;

int Compare(const Value& a, const Value& b) {
  if (std::holds_alternative<std::string>(a)) {
    return std::get<std::string>(a).compare(std::get<std::string>(b));
  }
  double x = std::holds_alternative<int64_t>(a)  ? std::get<int64_t>(a)
             : std::holds_alternative<double>(a) ? std::get<double>(a)
                                                 : std::get<bool>(a);
  double y = std::holds_alternative<int64_t>(b)  ? std::get<int64_t>(b)
             : std::holds_alternative<double>(b) ? std::get<double>(b)
                                                 : std::get<bool>(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// TreatyStatus -> "TREATY_STATUS_", the prefix buf lint requires of values.
std::string EnumValuePrefix(const google::protobuf::EnumDescriptor& e) {
  std::string prefix;
  for (char c : e.name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return prefix + "_";
}

bool Apply(Op op, int cmp) {
  switch (op) {
    case Op::kEq:
    case Op::kHas:
      return cmp == 0;
    case Op::kNe:
      return cmp != 0;
    case Op::kLt:
      return cmp < 0;
    case Op::kLe:
      return cmp <= 0;
    case Op::kGt:
      return cmp > 0;
    case Op::kGe:
      return cmp >= 0;
  }
  return false;
}

Value Scalar(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return int64_t{rep ? r->GetRepeatedInt32(m, f, index)
                         : r->GetInt32(m, f)};
    case FieldDescriptor::CPPTYPE_INT64:
      return int64_t{rep ? r->GetRepeatedInt64(m, f, index)
                         : r->GetInt64(m, f)};
    case FieldDescriptor::CPPTYPE_UINT32:
      return int64_t{rep ? r->GetRepeatedUInt32(m, f, index)
                         : r->GetUInt32(m, f)};
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<int64_t>(rep ? r->GetRepeatedUInt64(m, f, index)
                                      : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return double{rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f)};
    case FieldDescriptor::CPPTYPE_BOOL:
      return rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return int64_t{rep ? r->GetRepeatedEnumValue(m, f, index)
                         : r->GetEnumValue(m, f)};
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    default:
      return std::monostate();
  }
}

// True if some value reached through `path` from `m` satisfies the node. An
// unset message on the way, or an unset field that has presence, is unknown:
// it satisfies no comparison (so "!=", which negates "=", holds for it).
bool Reach(const Message& m, const Node& node, size_t depth) {
  const FieldDescriptor* f = node.path[depth];
  const Reflection* r = m.GetReflection();
  const bool last = depth + 1 == node.path.size();
  if (!last) {
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (Reach(r->GetRepeatedMessage(m, f, i), node, depth + 1)) return true;
      }
      return false;
    }
    if (!r->HasField(m, f)) return false;
    return Reach(r->GetMessage(m, f), node, depth + 1);
  }
  if (node.op == Op::kHas &&
      std::holds_alternative<std::monostate>(node.value)) {
    return f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
  }
  if (f->is_repeated()) {
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      if (Apply(node.op, Compare(Scalar(m, f, i), node.value))) return true;
    }
    return false;
  }
  if (f->has_presence() && !r->HasField(m, f)) return false;
  return Apply(node.op, Compare(Scalar(m, f, -1), node.value));
}

bool Evaluate(const Node& node, const Message& m) {
  switch (node.kind) {
    case Node::kAnd:
      for (const auto& c : node.children) {
        if (!Evaluate(*c, m)) return false;
      }
      return true;
    case Node::kOr:
      for (const auto& c : node.children) {
        if (Evaluate(*c, m)) return true;
      }
      return false;
    case Node::kNot:
      return !Evaluate(*node.children[0], m);
    case Node::kCompare:
      // "!=" on a repeated path means no element equals.
      if (node.op == Op::kNe) {
        Node eq = node;
        eq.op = Op::kEq;
        return !Reach(m, eq, 0);
      }
      return Reach(m, node, 0);
  }
  return false;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const Descriptor* descriptor)
      : tokens_(std::move(tokens)), descriptor_(descriptor) {}

  absl::StatusOr<std::shared_ptr<const Node>> Parse() {
    auto node = Expression();
    if (!node.ok()) return node;
    if (Peek().kind != Token::kEnd) {
      return FilterError(
          absl::StrCat("unexpected \"", Abbreviate(Peek().text), "\""));
    }
    return node;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  bool PeekWord(absl::string_view w) const {
    return Peek().kind == Token::kWord && Peek().text == w;
  }

  absl::StatusOr<std::shared_ptr<const Node>> Expression() {
    return Join(Node::kAnd, "AND", [this] { return Sequence(); });
  }
  absl::StatusOr<std::shared_ptr<const Node>> Sequence() {
    return Join(Node::kOr, "OR", [this] { return Factor(); });
  }

  template <typename Next>
  absl::StatusOr<std::shared_ptr<const Node>> Join(Node::Kind kind,
                                                   absl::string_view word,
                                                   Next next) {
    auto first = next();
    if (!first.ok()) return first;
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->children.push_back(*first);
    while (PeekWord(word)) {
      ++pos_;
      auto more = next();
      if (!more.ok()) return more;
      node->children.push_back(*more);
    }
    if (node->children.size() == 1) return node->children[0];
    return std::shared_ptr<const Node>(node);
  }

  absl::StatusOr<std::shared_ptr<const Node>> Factor() {
    bool negate = false;
    if (PeekWord("NOT")) {
      negate = true;
      ++pos_;
    } else if (Peek().kind == Token::kWord && Peek().text.size() > 1 &&
               Peek().text[0] == '-') {
      negate = true;
      tokens_[pos_].text.erase(0, 1);
    }
    absl::StatusOr<std::shared_ptr<const Node>> term;
    if (Peek().kind == Token::kLParen) {
      if (++depth_ > kMaxNesting) {
        return FilterError(
            absl::StrCat("nested deeper than ", kMaxNesting, " parentheses"));
      }
      ++pos_;
      term = Expression();
      --depth_;
      if (!term.ok()) return term;
      if (Peek().kind != Token::kRParen) return FilterError("missing ')'");
      ++pos_;
    } else {
      term = Comparison();
      if (!term.ok()) return term;
    }
    if (!negate) return term;
    auto node = std::make_shared<Node>();
    node->kind = Node::kNot;
    node->children.push_back(*term);
    return std::shared_ptr<const Node>(node);
  }

  absl::StatusOr<std::shared_ptr<const Node>> Comparison() {
    if (Peek().kind != Token::kWord) {
      return FilterError(absl::StrCat("expected a field name, found \"",
                                      Abbreviate(Peek().text), "\""));
    }
    auto node = std::make_shared<Node>();
    node->kind = Node::kCompare;
    const std::string path_text = tokens_[pos_++].text;
    const Descriptor* type = descriptor_;
    for (absl::string_view part : absl::StrSplit(path_text, '.')) {
      if (type == nullptr) {
        return FilterError(absl::StrCat("\"", Abbreviate(path_text),
                                        "\": only message fields have "
                                        "sub-fields"));
      }
      const FieldDescriptor* f = type->FindFieldByName(std::string(part));
      if (f == nullptr) {
        return FilterError(absl::StrCat("\"", Abbreviate(part),
                                        "\" is not a field of ",
                                        type->full_name()));
      }
      node->path.push_back(f);
      type = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                 ? f->message_type()
                 : nullptr;
    }
    if (Peek().kind != Token::kOp) {
      return FilterError(absl::StrCat("expected an operator after \"",
                                      Abbreviate(path_text), "\""));
    }
    const std::string op = tokens_[pos_++].text;
    node->op = op == "="    ? Op::kEq
               : op == "!=" ? Op::kNe
               : op == "<"  ? Op::kLt
               : op == "<=" ? Op::kLe
               : op == ">"  ? Op::kGt
               : op == ">=" ? Op::kGe
                            : Op::kHas;
    const Token value = Peek();
    if (value.kind != Token::kWord && value.kind != Token::kString) {
      return FilterError(absl::StrCat("expected a value after \"",
                                      Abbreviate(path_text), " ", op, "\""));
    }
    ++pos_;
    const FieldDescriptor* leaf = node->path.back();
    if (node->op == Op::kHas && value.kind == Token::kWord &&
        value.text == "*") {
      return std::shared_ptr<const Node>(node);
    }
    absl::StatusOr<Value> typed = Convert(leaf, value, path_text);
    if (!typed.ok()) return typed.status();
    node->value = *std::move(typed);
    const bool ordered =
        node->op != Op::kEq && node->op != Op::kNe && node->op != Op::kHas;
    if (ordered && (leaf->cpp_type() == FieldDescriptor::CPPTYPE_ENUM ||
                    leaf->cpp_type() == FieldDescriptor::CPPTYPE_BOOL)) {
      return FilterError(absl::StrCat("\"", Abbreviate(path_text),
                                      "\" supports only =, != and :"));
    }
    return std::shared_ptr<const Node>(node);
  }

  static absl::StatusOr<Value> Convert(const FieldDescriptor* f,
                                       const Token& token,
                                       const std::string& path) {
    const std::string& text = token.text;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return Value(text);
      case FieldDescriptor::CPPTYPE_BOOL:
        if (text == "true") return Value(true);
        if (text == "false") return Value(false);
        return FilterError(
            absl::StrCat("\"", Abbreviate(path), "\" is true or false"));
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f->enum_type();
        const auto* v = e->FindValueByName(text);
        if (v == nullptr) {
          // Accept the value without its enum's prefix: RATIFIED for
          // TREATY_STATUS_RATIFIED.
          v = e->FindValueByName(EnumValuePrefix(*e) + text);
        }
        if (v == nullptr) {
          return FilterError(absl::StrCat(
              "\"", Abbreviate(text), "\" is not a value of ", e->full_name()));
        }
        return Value(int64_t{v->number()});
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        double d;
        if (!absl::SimpleAtod(text, &d)) {
          return FilterError(
              absl::StrCat("\"", Abbreviate(path), "\" needs a number"));
        }
        return Value(d);
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return FilterError(absl::StrCat("\"", Abbreviate(path),
                                        "\" is a message: use ", path, ":*"));
      default: {
        int64_t n;
        if (!absl::SimpleAtoi(text, &n)) {
          return FilterError(
              absl::StrCat("\"", Abbreviate(path), "\" needs an integer"));
        }
        return Value(n);
      }
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  const Descriptor* descriptor_;
};

}  // namespace

absl::StatusOr<Filter> Filter::Compile(absl::string_view text,
                                       const Descriptor* descriptor) {
  Filter filter;
  if (absl::StripAsciiWhitespace(text).empty()) return filter;
  if (text.size() > kMaxFilterLength) {
    return FilterError(
        absl::StrCat("longer than ", kMaxFilterLength, " characters"));
  }
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  Parser parser(*std::move(tokens), descriptor);
  absl::StatusOr<std::shared_ptr<const Node>> root = parser.Parse();
  if (!root.ok()) return root.status();
  filter.root_ = *std::move(root);
  return filter;
}

bool Filter::Matches(const Message& message) const {
  return root_ == nullptr || Evaluate(*root_, message);
}

std::string FilterString(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace palermo
