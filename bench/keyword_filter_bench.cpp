// Cost of the per-source keyword filter on a typical post.
#include <benchmark/benchmark.h>

#include "connectors/keyword_filter.h"

static void KeywordFilterAccepts(benchmark::State& state) {
  auto filter = earshot::KeywordFilter::Create({"voltwave", "@voltwave", "вольтвейв"},
                                               {"hiring", "promo code*"});
  earshot::Mention m;
  m.text =
      "Third time this week my Voltwave internet is down. If this is not fixed by Friday "
      "I'm cancelling and switching to another provider.";
  for (auto _ : state)
    benchmark::DoNotOptimize(filter->Accepts(m));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(KeywordFilterAccepts);

BENCHMARK_MAIN();
