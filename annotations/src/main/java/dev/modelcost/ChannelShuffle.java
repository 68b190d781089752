package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Channel shuffle between groups, as ShuffleNet's {@code channel_shuffle} and {@code nn.ChannelShuffle}. Keeps the shape; no ops: it only copies. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ChannelShuffle {
    /** Groups; must divide the channels. */
    int value();

    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
