-- CreateTable
CREATE TABLE "refund_holds" (
    "reservation_id" UUID NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "refund_holds_pkey" PRIMARY KEY ("reservation_id")
);
