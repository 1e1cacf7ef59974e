package dev.posenc.models.nas;

/**
 * The settings of one {@code nas darts} run (spec §7.3 at CPU scale). Learning rates and optimisers are DARTS's
 * (SGD 0.025 cosine to 0.001, momentum 0.9, wd 3·10⁻⁴, clip 5; α by Adam with β = (0.5, 0.999), wd 10⁻³)
 * except α's learning rate, which is raised from 3·10⁻⁴ because this search takes hundreds of steps, not DARTS's
 * twenty thousand. DARTS-PT's fine-tuning uses lr/10, cosine over every projection's epochs.
 *
 * @param size          image side after resizing (14)
 * @param channels      C, the first cell's channels (the second has 2C)
 * @param train         examples of the training split (weights), taken from the start of the training set
 * @param val           examples of the validation split (α, and DARTS-PT's accuracy drops), right after them
 * @param test          examples of the test set for the retrained networks
 * @param searchEpochs  supernet epochs
 * @param tuneEpochs    fine-tuning epochs after each projection (DARTS-PT's proj_intv)
 * @param retrainEpochs epochs to train each discrete network from scratch, on train + val
 */
public record DartsSettings(int size, int channels, int batch, int train, int val, int test, int searchEpochs, int tuneEpochs,
                     int retrainEpochs, float lr, float lrMin, float archLr) {
    String describe() {
        return ("%d×%d Fashion-MNIST, C = %d, batch %d; train %d / val %d (from the training set), test %d; search %d epoch(s), "
                + "fine-tune %d epoch(s) per projection, retrain %d epoch(s) on train + val; lr %s → %s, α lr %s")
                .formatted(size, size, channels, batch, train, val, test, searchEpochs, tuneEpochs, retrainEpochs, lr, lrMin, archLr);
    }
}
