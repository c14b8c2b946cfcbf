import { Memory, StorageContract } from "@copkit/testing"

StorageContract.suite("the in-memory store", Memory.layerStorage)
