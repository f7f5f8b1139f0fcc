// SPDX-License-Identifier: MIT
// A mixer-shaped pool for the fundtrace devnet: fixed-denomination deposits with a commitment,
// withdrawals to any address sent by an operator (standing in for a relayer and a proof).
// Plain ETH sent to it is refused. Not a real mixer: nothing here is private.
pragma solidity ^0.8.20;

contract MixerPool {
    uint256 public constant DENOMINATION = 1 ether;
    address public immutable operator;
    mapping(bytes32 => bool) public commitments;
    mapping(bytes32 => bool) public spent;

    event Deposit(bytes32 indexed commitment, uint256 timestamp);
    event Withdrawal(address to, bytes32 nullifierHash);

    constructor() {
        operator = msg.sender;
    }

    function deposit(bytes32 commitment) external payable {
        require(msg.value == DENOMINATION, "wrong amount");
        require(!commitments[commitment], "known commitment");
        commitments[commitment] = true;
        emit Deposit(commitment, block.timestamp);
    }

    function withdraw(address payable to, bytes32 nullifierHash) external {
        require(msg.sender == operator, "not operator");
        require(!spent[nullifierHash], "spent");
        spent[nullifierHash] = true;
        (bool ok, ) = to.call{value: DENOMINATION}("");
        require(ok, "payment failed");
        emit Withdrawal(to, nullifierHash);
    }

    receive() external payable {
        revert("use deposit()");
    }
}
