// RTNeural's compile-time networks (`ModelT`, Eigen backend) at batch 1: the four networks of
// benches/specs/{xor,iris,digits,mnist}.yaml with random weights, 16 cycled inputs in
// [-1, 1), as `infer/*/batch1/static` of benches/engines.rs. Prints one JSON line per
// network: samples per second, the median of 15 timed runs. Built by scripts/peer_bench.
#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace RTNeural;

static std::mt19937 generator(42);

static float uniform(float bound) {
    return std::uniform_real_distribution<float>(-bound, bound)(generator);
}

template <typename Dense>
static void randomize(Dense& dense, int inputs, int outputs) {
    std::vector<std::vector<float>> weights(outputs, std::vector<float>(inputs));
    for (auto& row : weights)
        for (auto& w : row)
            w = uniform(1.0f / std::sqrt(float(inputs)));
    dense.setWeights(weights);
    std::vector<float> bias(outputs);
    for (auto& b : bias)
        b = uniform(0.1f);
    dense.setBias(bias.data());
}

template <typename Model>
static void measure(Model& model, const char* name, int inputs) {
    constexpr int cycled = 16;
    std::vector<float> xs(cycled * inputs);
    for (auto& x : xs)
        x = uniform(1.0f);
    float sink = 0.0f;
    // Calls per timed run: about 20 ms of work.
    long calls = 1000;
    for (;;) {
        auto start = std::chrono::steady_clock::now();
        for (long i = 0; i < calls; ++i)
            sink += model.forward(xs.data() + (i % cycled) * inputs);
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (seconds > 0.02)
            break;
        calls *= 2;
    }
    std::vector<double> rates;
    for (int run = 0; run < 15; ++run) {
        auto start = std::chrono::steady_clock::now();
        for (long i = 0; i < calls; ++i)
            sink += model.forward(xs.data() + (i % cycled) * inputs);
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        rates.push_back(calls / seconds);
    }
    std::sort(rates.begin(), rates.end());
    std::printf("{\"peer\": \"rtneural\", \"network\": \"%s\", \"batch\": 1, \"measurement\": \"infer\", "
                "\"samples_per_s\": %.1f, \"sink\": %g}\n",
                name, rates[rates.size() / 2], double(sink));
}

int main() {
    ModelT<float, 2, 1, DenseT<float, 2, 8>, TanhActivationT<float, 8>, DenseT<float, 8, 1>,
           SigmoidActivationT<float, 1>>
        xorNet;
    randomize(xorNet.get<0>(), 2, 8);
    randomize(xorNet.get<2>(), 8, 1);
    measure(xorNet, "2-8-1", 2);

    ModelT<float, 4, 3, DenseT<float, 4, 16>, ReLuActivationT<float, 16>, DenseT<float, 16, 16>,
           ReLuActivationT<float, 16>, DenseT<float, 16, 3>, SoftmaxActivationT<float, 3>>
        iris;
    randomize(iris.get<0>(), 4, 16);
    randomize(iris.get<2>(), 16, 16);
    randomize(iris.get<4>(), 16, 3);
    measure(iris, "4-16-16-3", 4);

    ModelT<float, 64, 10, DenseT<float, 64, 32>, ReLuActivationT<float, 32>, DenseT<float, 32, 10>,
           SoftmaxActivationT<float, 10>>
        digits;
    randomize(digits.get<0>(), 64, 32);
    randomize(digits.get<2>(), 32, 10);
    measure(digits, "64-32-10", 64);

    // Large: on the heap (about 400 KB of weights).
    using Mnist = ModelT<float, 784, 10, DenseT<float, 784, 128>, ReLuActivationT<float, 128>,
                         DenseT<float, 128, 10>, SoftmaxActivationT<float, 10>>;
    auto mnist = std::make_unique<Mnist>();
    randomize(mnist->get<0>(), 784, 128);
    randomize(mnist->get<2>(), 128, 10);
    measure(*mnist, "784-128-10", 784);
    return 0;
}
