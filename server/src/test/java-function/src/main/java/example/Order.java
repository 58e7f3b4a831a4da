package example;

import java.util.List;

/** A POJO with public fields and a getter/setter pair, as users write them. */
public class Order {
    public String id;
    public int quantity;
    public List<String> items;
    private double unitPrice;

    public double getUnitPrice() {
        return unitPrice;
    }

    public void setUnitPrice(double unitPrice) {
        this.unitPrice = unitPrice;
    }
}
