// SPDX-License-Identifier: MIT
// The fundtrace devnet's own Across-V3-shaped SpokePool: depositV3 pulls the input token from the
// depositor and emits V3FundsDeposited; on the destination chain a relayer calls fillV3Relay, which
// emits FilledV3Relay and pays the recipient from the relayer's own tokens, as Across V3 does. The
// events have Across's exact signatures, so a tracer links the legs by (origin chain id, deposit id).
// No hub pool, no repayment, no slow fills: the devnet needs the two legs. Compiled with via-IR
// (src/devnet/compile.ts): FilledV3Relay's fifteen fields do not fit the legacy code generator's
// stack. Not for production use.
pragma solidity ^0.8.20;

interface IDevSpokeToken {
    function transferFrom(address, address, uint256) external returns (bool);
}

contract DevSpokePool {
    struct V3RelayData {
        address depositor;
        address recipient;
        address exclusiveRelayer;
        address inputToken;
        address outputToken;
        uint256 inputAmount;
        uint256 outputAmount;
        uint256 originChainId;
        uint32 depositId;
        uint32 fillDeadline;
        uint32 exclusivityDeadline;
        bytes message;
    }

    struct V3RelayExecutionEventInfo {
        address updatedRecipient;
        bytes updatedMessage;
        uint256 updatedOutputAmount;
        uint8 fillType;
    }

    uint32 public numberOfDeposits;
    mapping(bytes32 => uint256) public fillStatuses;

    event V3FundsDeposited(
        address inputToken,
        address outputToken,
        uint256 inputAmount,
        uint256 outputAmount,
        uint256 indexed destinationChainId,
        uint32 indexed depositId,
        uint32 quoteTimestamp,
        uint32 fillDeadline,
        uint32 exclusivityDeadline,
        address indexed depositor,
        address recipient,
        address exclusiveRelayer,
        bytes message
    );

    event FilledV3Relay(
        address inputToken,
        address outputToken,
        uint256 inputAmount,
        uint256 outputAmount,
        uint256 repaymentChainId,
        uint256 indexed originChainId,
        uint32 indexed depositId,
        uint32 fillDeadline,
        uint32 exclusivityDeadline,
        address exclusiveRelayer,
        address indexed relayer,
        address depositor,
        address recipient,
        bytes message,
        V3RelayExecutionEventInfo relayExecutionInfo
    );

    /// Deposits are taken as the relay data they will be filled with (originChainId = this chain,
    /// depositId assigned here); `destinationChainId` is where the relayer pays.
    function depositV3(V3RelayData calldata d, uint256 destinationChainId, uint32 quoteTimestamp) external {
        require(d.depositor == msg.sender, "depositor");
        require(d.originChainId == block.chainid, "origin");
        require(d.depositId == numberOfDeposits, "deposit id");
        numberOfDeposits++;
        require(IDevSpokeToken(d.inputToken).transferFrom(msg.sender, address(this), d.inputAmount), "transferFrom");
        emit V3FundsDeposited(
            d.inputToken,
            d.outputToken,
            d.inputAmount,
            d.outputAmount,
            destinationChainId,
            d.depositId,
            quoteTimestamp,
            d.fillDeadline,
            d.exclusivityDeadline,
            d.depositor,
            d.recipient,
            d.exclusiveRelayer,
            d.message
        );
    }

    function fillV3Relay(V3RelayData calldata d, uint256 repaymentChainId) external {
        require(d.fillDeadline >= block.timestamp, "expired");
        bytes32 h = keccak256(abi.encode(d, block.chainid));
        require(fillStatuses[h] == 0, "already filled");
        fillStatuses[h] = 2;
        _emitFill(d, repaymentChainId);
        require(IDevSpokeToken(d.outputToken).transferFrom(msg.sender, d.recipient, d.outputAmount), "transferFrom");
    }

    function _emitFill(V3RelayData calldata d, uint256 repaymentChainId) private {
        emit FilledV3Relay(
            d.inputToken,
            d.outputToken,
            d.inputAmount,
            d.outputAmount,
            repaymentChainId,
            d.originChainId,
            d.depositId,
            d.fillDeadline,
            d.exclusivityDeadline,
            d.exclusiveRelayer,
            msg.sender,
            d.depositor,
            d.recipient,
            d.message,
            V3RelayExecutionEventInfo(d.recipient, d.message, d.outputAmount, 0)
        );
    }
}
