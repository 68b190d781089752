package dev.modelcost.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Wraps the real processor and adds up the wall time javac spends inside its {@code init} and
 * {@code process} calls (every round): the processor's whole own time, including what its
 * per-model {@code modelcost.stats} notes do not cover (reading {@code @Block} classes, later rounds).
 */
final class TimingProcessor implements Processor {
    private final Processor delegate;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long nanos;
    private long cpuNanos;
    private int rounds;

    TimingProcessor(Processor delegate) {
        this.delegate = delegate;
    }

    /** Wall time inside {@code init} and every {@code process} call, in nanoseconds. */
    long nanos() {
        return nanos;
    }

    /** CPU time of the calling thread inside those calls, in nanoseconds. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** How many rounds javac ran the processor in. */
    int rounds() {
        return rounds;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment environment) {
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        try {
            delegate.init(environment);
        } finally {
            nanos += System.nanoTime() - start;
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        }
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        try {
            return delegate.process(annotations, round);
        } finally {
            nanos += System.nanoTime() - start;
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            rounds++;
        }
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation, ExecutableElement member,
            String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }
}
