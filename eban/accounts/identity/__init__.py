"""Who a person or a firm is: ID numbers, credit codes, region codes, ID card readings, face matching, liveness, the real-person service."""
