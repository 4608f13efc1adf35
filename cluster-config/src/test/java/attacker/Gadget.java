package attacker;

import com.hazelcast.map.EntryProcessor;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a deserialization gadget: a Serializable class, outside every package we allow, whose readObject does
 * something (in a real chain: runs a command). A member that sends it to another member gets it deserialized there
 * unless the receiver's filter refuses the class. The count says whether any readObject ran in this JVM.
 */
public final class Gadget implements EntryProcessor<Object, Object, Object> {
  public static final AtomicInteger READ_OBJECT_CALLS = new AtomicInteger();
  private static final long serialVersionUID = 1L;

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    READ_OBJECT_CALLS.incrementAndGet();
  }

  @Override
  public Object process(Map.Entry<Object, Object> entry) {
    entry.setValue("written by a stranger");
    return "done";
  }
}
