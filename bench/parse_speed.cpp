// parse_speed.cpp — the baseline of bench/run.sh: how fast simdjson's
// On-Demand API walks every value of a JSON Lines file on this machine.
// Rubric's batch evaluation is measured against this number.
//
//   parse_speed FILE.jsonl   ->   "<bytes> <seconds> <MB/s> <values>"
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace simdjson;

// Visit every value so that nothing is skipped lazily.
static size_t walk(ondemand::value v)
{
    switch (v.type()) {
    case ondemand::json_type::object: {
        size_t n = 1;
        for (auto field : v.get_object())
            n += walk(field.value());
        return n;
    }
    case ondemand::json_type::array: {
        size_t n = 1;
        for (auto element : v.get_array())
            n += walk(element.value());
        return n;
    }
    case ondemand::json_type::string:
        (void)v.get_raw_json_string();
        return 1;
    case ondemand::json_type::number:
        (void)v.raw_json_token();
        return 1;
    default:
        return 1;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: parse_speed FILE.jsonl\n");
        return 2;
    }
    padded_string json;
    if (padded_string::load(argv[1]).get(json)) {
        std::fprintf(stderr, "parse_speed: cannot read %s\n", argv[1]);
        return 1;
    }
    auto start = std::chrono::steady_clock::now();
    ondemand::parser parser;
    ondemand::document_stream docs;
    // A batch must hold the largest partner: take the whole file.
    size_t batch = json.size() < 1000000 ? 1000000 : json.size();
    if (parser.iterate_many(json, batch).get(docs)) {
        std::fprintf(stderr, "parse_speed: not JSON Lines\n");
        return 1;
    }
    size_t values = 0;
    for (auto doc : docs) {
        ondemand::value root;
        if (doc.get_value().get(root)) {
            std::fprintf(stderr, "parse_speed: a record is not JSON\n");
            return 1;
        }
        values += walk(root);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu %.4f %.1f %zu\n", json.size(), seconds, json.size() / seconds / 1e6, values);
    return 0;
}
