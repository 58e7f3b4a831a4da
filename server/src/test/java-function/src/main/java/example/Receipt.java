package example;

/** The POJO a handler returns: serialized by its getters and public fields. */
public class Receipt {
    public int items;
    private String orderId;
    private double total;

    public String getOrderId() {
        return orderId;
    }

    public void setOrderId(String orderId) {
        this.orderId = orderId;
    }

    public double getTotal() {
        return total;
    }

    public void setTotal(double total) {
        this.total = total;
    }
}
